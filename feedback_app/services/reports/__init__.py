"""What leaves the app as a file: ``report_content`` gathers a report's figures,
``report_pdf`` and ``report_charts`` typeset it with WeasyPrint, ``exports`` writes CSV,
``poster`` and ``qr`` make the printed call to answer.
"""
