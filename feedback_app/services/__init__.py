"""Plain functions with plain inputs and outputs; views call exactly one of them."""
