-- wrk script: GET one council's 2025-26 recharge statement, the council picked at random per request.
-- args: <admin key> <councils> <period>
function init(args)
  wrk.headers["X-Api-Key"] = args[1]
  councils = tonumber(args[2])
  period = args[3]
  math.randomseed(os.time() + math.random(1, 100000))
end

function request()
  return wrk.format("GET", string.format("/api/v1/councils/C%03d/recharge-statements/%s", math.random(1, councils), period))
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx/3xx or socket errors: status %d, connect %d, read %d, write %d, timeout %d\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
