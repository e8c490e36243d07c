-- One rate-limit decision over all the limits of one key, atomically: every limit is brought to
-- "now", and the cost is taken from all of them only if every one admits it. The math mirrors the
-- engine's transitions (dev.sluice.ratelimit.internal) step for step, in integer units of time.
--
-- Numbers are Lua doubles: integers are exact up to 2^53. In production the unit is the
-- microsecond (Redis TIME): epoch time is ~1.8e15 us, and the largest product the math forms
-- (burst * interval, or one window) is at most 366 days = 3.2e13 us, so every value stays far below
-- 2^53 = 9.0e15. Divisions are corrected to exact floors; the one product that can pass 2^53
-- (previous * (window - elapsed) in the sliding window) uses an exact long multiplication.
--
-- KEYS[i], i = 1..n: the state of limit i (a string "fingerprint|time|v1|v2|v3").
-- KEYS[n + i]: the log of limit i (a list of admission times), used while it is a sliding log.
-- ARGV: now (empty: Redis TIME in microseconds), units per millisecond for TTLs (0: no TTL),
--       cost, n, then per limit: algorithm, quota, burst, window, interval, fingerprint
--       (the five values joined by commas, which tells a changed limit from the stored one).
-- Reply: {allowed, now, retryAfter (-1: never), then per limit: remaining, resetAfter, violated}.
--
-- Written for a small cost per call: each call runs this whole chunk, so there are few closures
-- and tables (garbage the Lua collector pays for), and the algorithms are branches, not objects.

local TWO53 = 9007199254740992
local NEVER = -1
local TOKEN_BUCKET, GCRA, SLIDING_WINDOW, SLIDING_LOG, FIXED_WINDOW = 0, 1, 2, 3, 4
local floor, call = math.floor, redis.call

local function idiv(a, b)
  local q = floor(a / b)
  if q * b > a then
    q = q - 1
  elseif (q + 1) * b <= a then
    q = q + 1
  end
  return q
end

-- floor(a * b / c) and its remainder, exactly, for 0 <= a, b < 2^53 and 0 < c < 2^52
local function muldiv(a, b, c)
  local p = a * b
  if p < TWO53 then
    local q = idiv(p, c)
    return q, p - q * c
  end
  local q1 = idiv(a, c)
  local r1 = a - q1 * c
  local bit = 1
  while bit * 2 <= b do
    bit = bit * 2
  end
  local rest, qq, r = b, 0, 0
  while bit >= 1 do
    qq = qq * 2
    r = r * 2
    if r >= c then
      r = r - c
      qq = qq + 1
    end
    if rest >= bit then
      rest = rest - bit
      r = r + r1
      if r >= c then
        r = r - c
        qq = qq + 1
      end
    end
    bit = bit / 2
  end
  return q1 * b + qq, r
end

-- the sliding window's estimate of the permits used in the last window, rounded up
local function slidingUsed(l, s, now)
  local q, r = muldiv(s[2], l.window - (now - s[1]), l.window)
  if r > 0 then q = q + 1 end
  return q + s[3]
end

-- s = {v1, v2, v3}. Token bucket: tokens, time of the partial token. GCRA: theoretical arrival
-- time. Sliding window: window start, previous count, current count. Fixed window: start, count.
-- Sliding log: the number of live entries; the entries are in the list l.log, oldest first. A log
-- started in this call (new, expired or changed) is not written until the decision is allowed:
-- until then it is "fresh", and all its s[1] entries are stamped now.

local function init(l, s, now)
  local alg = l.alg
  if alg == GCRA then
    s[1] = now
  elseif alg == TOKEN_BUCKET then
    s[1], s[2] = l.burst, now
  elseif alg == SLIDING_LOG then
    l.fresh = true
    s[1] = 0
  else
    s[1], s[2], s[3] = idiv(now, l.window) * l.window, 0, 0
  end
end

local function advance(l, s, now)
  local alg = l.alg
  if alg == GCRA then
    if s[1] < now then s[1] = now end
  elseif alg == TOKEN_BUCKET then
    local missing = l.burst - s[1]
    if missing <= 0 then
      s[2] = now
    else
      local added = idiv(now - s[2], l.interval)
      if added >= missing then
        s[1], s[2] = l.burst, now
      else
        s[1], s[2] = s[1] + added, s[2] + added * l.interval
      end
    end
  elseif alg == SLIDING_WINDOW then
    local windows = idiv(now - s[1], l.window)
    if windows == 1 then
      s[1], s[2], s[3] = s[1] + l.window, s[3], 0
    elseif windows >= 2 then
      s[1], s[2], s[3] = s[1] + windows * l.window, 0, 0
    end
  elseif alg == FIXED_WINDOW then
    local elapsed = now - s[1]
    if elapsed >= l.window then
      s[1], s[2] = s[1] + idiv(elapsed, l.window) * l.window, 0
    end
  else
    -- admission times never decrease along the log: find the first live entry by bisection
    local count = call('LLEN', l.log)
    local lo, hi = 0, count
    while lo < hi do
      local mid = idiv(lo + hi, 2)
      if now - tonumber(call('LINDEX', l.log, mid)) >= l.window then
        lo = mid + 1
      else
        hi = mid
      end
    end
    -- the expired head is dropped only when the decision is written (a denial writes nothing, so
    -- a later caller whose clock is behind still sees those entries, as the engine does)
    l.skip = lo
    s[1] = count - lo
  end
end

-- 0 if cost permits can be taken now, else the time until they can, or NEVER
local function deficit(l, s, cost, now)
  local alg = l.alg
  if alg == GCRA then
    if cost > l.burst then return NEVER end
    local allowAt = s[1] + cost * l.interval - l.burst * l.interval
    if allowAt > now then return allowAt - now end
    return 0
  elseif alg == TOKEN_BUCKET then
    if cost > l.burst then return NEVER end
    if s[1] >= cost then return 0 end
    return (cost - s[1]) * l.interval - (now - s[2])
  end
  if cost > l.quota then return NEVER end
  if alg == SLIDING_WINDOW then
    if slidingUsed(l, s, now) + cost <= l.quota then return 0 end
    local elapsed = now - s[1]
    local room = l.quota - cost
    if s[3] <= room then
      return l.window - muldiv(room - s[3], l.window, s[2]) - elapsed
    end
    return l.window - elapsed + l.window - muldiv(room, l.window, s[3])
  elseif alg == FIXED_WINDOW then
    if s[2] + cost <= l.quota then return 0 end
    return s[1] + l.window - now
  end
  local excess = s[1] + cost - l.quota
  if excess <= 0 then return 0 end
  if l.fresh then return l.window end
  return tonumber(call('LINDEX', l.log, (l.skip or 0) + excess - 1)) + l.window - now
end

local function push(log, count, now)
  local stamp = string.format('%.0f', now)
  while count > 0 do
    local batch = math.min(count, 1000)
    local args = {}
    for i = 1, batch do args[i] = stamp end
    call('RPUSH', log, unpack(args))
    count = count - batch
  end
end

local function take(l, s, cost, now)
  local alg = l.alg
  if alg == GCRA then
    s[1] = s[1] + cost * l.interval
  elseif alg == TOKEN_BUCKET then
    s[1] = s[1] - cost
  elseif alg == SLIDING_WINDOW then
    s[3] = s[3] + cost
  elseif alg == FIXED_WINDOW then
    s[2] = s[2] + cost
  else
    if not l.fresh then push(l.log, cost, now) end
    s[1] = s[1] + cost
  end
end

local function remaining(l, s, now)
  local alg = l.alg
  if alg == GCRA then
    return idiv(l.burst * l.interval - (s[1] - now), l.interval)
  elseif alg == TOKEN_BUCKET then
    return s[1]
  elseif alg == SLIDING_WINDOW then
    local left = l.quota - slidingUsed(l, s, now)
    if left < 0 then return 0 end
    return left
  elseif alg == FIXED_WINDOW then
    return l.quota - s[2]
  end
  return l.quota - s[1]
end

local function resetAfter(l, s, now)
  local alg = l.alg
  if alg == GCRA then
    return s[1] - now
  elseif alg == TOKEN_BUCKET then
    local missing = l.burst - s[1]
    if missing <= 0 then return 0 end
    return missing * l.interval - (now - s[2])
  elseif alg == SLIDING_WINDOW then
    local finish = s[1] + l.window
    if s[3] > 0 then return finish + l.window - now end
    if s[2] > 0 then return finish - now end
    return 0
  elseif alg == FIXED_WINDOW then
    if s[2] == 0 then return 0 end
    return s[1] + l.window - now
  end
  if s[1] == 0 then return 0 end
  if l.fresh then return l.window end
  return tonumber(call('LINDEX', l.log, -1)) + l.window - now
end

-- read every limit's state and the latest time any of them was written at
local unitsPerMs = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local limits, states, stored = {}, {}, {}
local latest = 0
for i = 1, n do
  local b = 4 + (i - 1) * 6
  local l = {alg = tonumber(ARGV[b + 1]), quota = tonumber(ARGV[b + 2]),
             burst = tonumber(ARGV[b + 3]), window = tonumber(ARGV[b + 4]),
             interval = tonumber(ARGV[b + 5]), print = ARGV[b + 6], log = KEYS[n + i]}
  limits[i] = l
  local raw = call('GET', KEYS[i])
  if raw then
    local print, t, v1, v2, v3 = string.match(raw, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)$')
    t = tonumber(t)
    stored[i] = print
    states[i] = {tonumber(v1), tonumber(v2), tonumber(v3), t}
    if t > latest then latest = t end
  end
end

local now
if ARGV[1] == '' then
  local time = call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
else
  now = tonumber(ARGV[1])
end
-- a clock that went back (a failover to a server with a slower clock) acts at the latest time seen
if latest > now then now = latest end

-- bring every limit to now: keep the state of an unchanged limit, carry the used permits of a
-- changed one over (clamped to its new capacity), start a new or expired one whole
for i = 1, n do
  local l = limits[i]
  local s = states[i]
  if s == nil then
    s = {0, 0, 0}
    init(l, s, now)
    states[i] = s
  elseif stored[i] == l.print then
    advance(l, s, now)
  else
    local p = {}
    for part in string.gmatch(stored[i], '[^,]+') do p[#p + 1] = tonumber(part) end
    local prev = {alg = p[1], quota = p[2], burst = p[3], window = p[4], interval = p[5],
                  log = l.log}
    advance(prev, s, now)
    local capacity = prev.quota
    if prev.alg == TOKEN_BUCKET or prev.alg == GCRA then capacity = prev.burst end
    local used = capacity - remaining(prev, s, now)
    s = {0, 0, 0}
    init(l, s, now)
    local kept = math.min(used, remaining(l, s, now))
    if kept > 0 then take(l, s, kept, now) end
    states[i] = s
  end
end

-- writes a fresh log: its entries, all stamped now, replace whatever an older life left
local function materialize(l, s, now)
  if l.fresh then
    call('DEL', l.log)
    push(l.log, s[1], now)
  end
end

local retryAfter = 0
local denied = false
local reply = {0, now, 0}
for i = 1, n do
  local d = deficit(limits[i], states[i], cost, now)
  if d ~= 0 then
    denied = true
    if d == NEVER or retryAfter == NEVER then
      retryAfter = NEVER
    elseif d > retryAfter then
      retryAfter = d
    end
  end
  reply[3 + 3 * i] = (d ~= 0) and 1 or 0
end
reply[1] = denied and 0 or 1
reply[3] = retryAfter

for i = 1, n do
  local l = limits[i]
  local s = states[i]
  if not denied then
    if (l.skip or 0) > 0 then call('LTRIM', l.log, l.skip, -1) end
    take(l, s, cost, now)
  end
  local reset = resetAfter(l, s, now)
  if not denied then
    local value = string.format('%s|%.0f|%.0f|%.0f|%.0f', l.print, now, s[1], s[2] or 0, s[3] or 0)
    if unitsPerMs > 0 then
      -- gone exactly when whole again: never earlier (rounded up), and never immortal
      local ttl = math.max(1, math.ceil(reset / unitsPerMs))
      call('SET', KEYS[i], value, 'PX', ttl)
      if l.alg == SLIDING_LOG then
        materialize(l, s, now)
        call('PEXPIRE', l.log, ttl)
      end
    else
      call('SET', KEYS[i], value)
      if l.alg == SLIDING_LOG then materialize(l, s, now) end
    end
  end
  reply[1 + 3 * i] = remaining(l, s, now)
  reply[2 + 3 * i] = reset
end
return reply
