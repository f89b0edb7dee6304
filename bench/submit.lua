-- wrk script: POST one response per request, each with a fresh version 4 client_id.
-- Uniqueness within a run comes from the thread number and a counter inside the UUID;
-- the random prefix keeps runs against the same database apart.
local threads = 0
local counter = 0
local prefix = nil

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local function uuid4()
  if prefix == nil then
    -- wrk may build a request before init() runs, so the prefix is made on first use, from
    -- the kernel's random bytes: a seed from the clock repeated itself between rounds a
    -- few seconds apart, and the floor then refused the same client_id twice.
    local urandom = assert(io.open("/dev/urandom", "rb"))
    local bytes = urandom:read(6)
    urandom:close()
    prefix = string.format("%02x%02x%02x%02x", bytes:byte(1, 4))
    math.randomseed(bytes:byte(5) * 256 + bytes:byte(6) + (tid or 0) * 7919)
  end
  counter = counter + 1
  return string.format("%s-%04x-4%03x-%04x-%012x", prefix, tid or 0, math.random(0, 0xfff),
    0x8000 + math.random(0, 0x3fff), counter)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  local body = '{"client_id": "' .. uuid4() ..
    '", "locale": "fi", "answers": {"joy": 4, "belonging": 5, "safety": 3}}'
  return wrk.format(nil, nil, nil, body)
end
