-- One rate-limit decision over all the limits of one key, atomically: every limit is brought to
-- "now", and the cost is taken from all of them only if every one admits it. The math mirrors the
-- engine's transitions (dev.sluice.ratelimit.internal) step for step, in integer units of time.
--
-- Numbers are Lua doubles: integers are exact up to 2^53. In production the unit is the
-- microsecond (Redis TIME): epoch time is ~1.8e15 us, and the largest product the math forms
-- (burst * interval, or one window) is at most 366 days = 3.2e13 us, so every value stays far below
-- 2^53 = 9.0e15. Divisions are corrected to exact floors; products that could pass 2^53
-- (previous * elapsed / window in the sliding window) use an exact long multiplication.
--
-- KEYS[i], i = 1..n: the state of limit i (a string "fingerprint|time|v1|v2|v3").
-- KEYS[n + i]: the log of limit i (a list of admission times), used while it is a sliding log.
-- ARGV: now (empty: Redis TIME in microseconds), units per millisecond for TTLs (0: no TTL),
--       cost, n, then per limit: algorithm, quota, burst, window, interval.
-- Reply: {allowed, now, retryAfter (-1: never), then per limit: remaining, resetAfter, violated}.

pcall(redis.replicate_commands)

local TWO53 = 9007199254740992

local function idiv(a, b)
  local q = math.floor(a / b)
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
  local q, r = q1 * b, 0
  local bit = 1
  while bit * 2 <= b do
    bit = bit * 2
  end
  local rest = b
  local qq = 0
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
  return q + qq, r
end

local function ceilmuldiv(a, b, c)
  local q, r = muldiv(a, b, c)
  if r > 0 then
    return q + 1
  end
  return q
end

local function fmt(x)
  return string.format('%.0f', x)
end

local NEVER = -1
local TOKEN_BUCKET, GCRA, SLIDING_WINDOW, SLIDING_LOG, FIXED_WINDOW = 0, 1, 2, 3, 4

-- Each algorithm: init(l, s, now), advance(l, s, now), deficit(l, s, cost, now),
-- take(l, s, cost, now), remaining(l, s, now), resetAfter(l, s, now). s is {v1, v2, v3}; a
-- sliding log keeps its entries in l.log (a list key) and only its count in s[1].
local algo = {}

algo[TOKEN_BUCKET] = {
  init = function(l, s, now) s[1] = l.burst; s[2] = now end,
  advance = function(l, s, now)
    local missing = l.burst - s[1]
    if missing <= 0 then
      s[2] = now
      return
    end
    local added = idiv(now - s[2], l.interval)
    if added >= missing then
      s[1] = l.burst
      s[2] = now
    else
      s[1] = s[1] + added
      s[2] = s[2] + added * l.interval
    end
  end,
  deficit = function(l, s, cost, now)
    if cost > l.burst then return NEVER end
    if s[1] >= cost then return 0 end
    return (cost - s[1]) * l.interval - (now - s[2])
  end,
  take = function(l, s, cost, now) s[1] = s[1] - cost end,
  remaining = function(l, s, now) return s[1] end,
  resetAfter = function(l, s, now)
    local missing = l.burst - s[1]
    if missing <= 0 then return 0 end
    return missing * l.interval - (now - s[2])
  end,
}

algo[GCRA] = {
  init = function(l, s, now) s[1] = now end,
  advance = function(l, s, now)
    if s[1] < now then s[1] = now end
  end,
  deficit = function(l, s, cost, now)
    if cost > l.burst then return NEVER end
    local allowAt = s[1] + cost * l.interval - l.burst * l.interval
    if allowAt > now then return allowAt - now end
    return 0
  end,
  take = function(l, s, cost, now) s[1] = s[1] + cost * l.interval end,
  remaining = function(l, s, now)
    return idiv(l.burst * l.interval - (s[1] - now), l.interval)
  end,
  resetAfter = function(l, s, now) return s[1] - now end,
}

local function slidingUsed(l, s, now)
  local elapsed = now - s[1]
  return ceilmuldiv(s[2], l.window - elapsed, l.window) + s[3]
end

algo[SLIDING_WINDOW] = {
  init = function(l, s, now)
    s[1] = idiv(now, l.window) * l.window
    s[2] = 0
    s[3] = 0
  end,
  advance = function(l, s, now)
    local windows = idiv(now - s[1], l.window)
    if windows == 1 then
      s[2] = s[3]
      s[3] = 0
      s[1] = s[1] + l.window
    elseif windows >= 2 then
      s[2] = 0
      s[3] = 0
      s[1] = s[1] + windows * l.window
    end
  end,
  deficit = function(l, s, cost, now)
    if cost > l.quota then return NEVER end
    if slidingUsed(l, s, now) + cost <= l.quota then return 0 end
    local elapsed = now - s[1]
    local room = l.quota - cost
    if s[3] <= room then
      local at = l.window - muldiv(room - s[3], l.window, s[2])
      return at - elapsed
    end
    local at = l.window - muldiv(room, l.window, s[3])
    return l.window - elapsed + at
  end,
  take = function(l, s, cost, now) s[3] = s[3] + cost end,
  remaining = function(l, s, now)
    local left = l.quota - slidingUsed(l, s, now)
    if left < 0 then return 0 end
    return left
  end,
  resetAfter = function(l, s, now)
    local finish = s[1] + l.window
    if s[3] > 0 then return finish + l.window - now end
    if s[2] > 0 then return finish - now end
    return 0
  end,
}

algo[FIXED_WINDOW] = {
  init = function(l, s, now)
    s[1] = idiv(now, l.window) * l.window
    s[2] = 0
  end,
  advance = function(l, s, now)
    local elapsed = now - s[1]
    if elapsed >= l.window then
      s[1] = s[1] + idiv(elapsed, l.window) * l.window
      s[2] = 0
    end
  end,
  deficit = function(l, s, cost, now)
    if cost > l.quota then return NEVER end
    if s[2] + cost <= l.quota then return 0 end
    return s[1] + l.window - now
  end,
  take = function(l, s, cost, now) s[2] = s[2] + cost end,
  remaining = function(l, s, now) return l.quota - s[2] end,
  resetAfter = function(l, s, now)
    if s[2] == 0 then return 0 end
    return s[1] + l.window - now
  end,
}

-- the sliding log: entries in a list, oldest first; s[1] is the number of live entries
algo[SLIDING_LOG] = {
  init = function(l, s, now)
    redis.call('DEL', l.log)
    s[1] = 0
  end,
  advance = function(l, s, now)
    local count = redis.call('LLEN', l.log)
    -- admission times never decrease along the list: find the first live entry by bisection
    local lo, hi = 0, count
    while lo < hi do
      local mid = idiv(lo + hi, 2)
      if now - tonumber(redis.call('LINDEX', l.log, mid)) >= l.window then
        lo = mid + 1
      else
        hi = mid
      end
    end
    if lo > 0 then
      redis.call('LTRIM', l.log, lo, -1)
    end
    s[1] = count - lo
  end,
  deficit = function(l, s, cost, now)
    if cost > l.quota then return NEVER end
    local excess = s[1] + cost - l.quota
    if excess <= 0 then return 0 end
    return tonumber(redis.call('LINDEX', l.log, excess - 1)) + l.window - now
  end,
  take = function(l, s, cost, now)
    local stamp = fmt(now)
    local left = cost
    while left > 0 do
      local batch = math.min(left, 1000)
      local args = {}
      for i = 1, batch do args[i] = stamp end
      redis.call('RPUSH', l.log, unpack(args))
      left = left - batch
    end
    s[1] = s[1] + cost
  end,
  remaining = function(l, s, now) return l.quota - s[1] end,
  resetAfter = function(l, s, now)
    if s[1] == 0 then return 0 end
    return tonumber(redis.call('LINDEX', l.log, -1)) + l.window - now
  end,
}

local function capacity(l)
  if l.alg == TOKEN_BUCKET or l.alg == GCRA then return l.burst end
  return l.quota
end

local function fingerprint(l)
  return l.alg .. ',' .. fmt(l.quota) .. ',' .. fmt(l.burst) .. ',' .. fmt(l.window) .. ',' .. fmt(l.interval)
end

local function parseLimit(text, log)
  local p = {}
  for part in string.gmatch(text, '[^,]+') do p[#p + 1] = tonumber(part) end
  return {alg = p[1], quota = p[2], burst = p[3], window = p[4], interval = p[5], log = log}
end

-- read every limit's state and the latest time any of them was written at
local unitsPerMs = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local limits, stored = {}, {}
local latest = 0
for i = 1, n do
  local b = 4 + (i - 1) * 5
  local l = {alg = tonumber(ARGV[b + 1]), quota = tonumber(ARGV[b + 2]), burst = tonumber(ARGV[b + 3]),
             window = tonumber(ARGV[b + 4]), interval = tonumber(ARGV[b + 5]), log = KEYS[n + i]}
  l.print = fingerprint(l)
  limits[i] = l
  local raw = redis.call('GET', KEYS[i])
  if raw then
    local parts = {}
    for part in string.gmatch(raw, '[^|]+') do parts[#parts + 1] = part end
    local t = tonumber(parts[2])
    stored[i] = {print = parts[1], t = t, s = {tonumber(parts[3]), tonumber(parts[4]), tonumber(parts[5])}}
    if t > latest then latest = t end
  end
end

local now
if ARGV[1] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
else
  now = tonumber(ARGV[1])
end
-- a clock that went back (a failover to a server with a slower clock) acts at the latest time seen
if latest > now then now = latest end

-- bring every limit to now: keep the state of an unchanged limit, carry the used permits of a
-- changed one over (clamped to its new capacity), start a new or expired one whole
local states = {}
for i = 1, n do
  local l = limits[i]
  local a = algo[l.alg]
  local s = {0, 0, 0}
  local old = stored[i]
  if old == nil then
    a.init(l, s, now)
  elseif old.print == l.print then
    s = old.s
    a.advance(l, s, now)
  else
    local prev = parseLimit(old.print, l.log)
    local pa = algo[prev.alg]
    local ps = old.s
    pa.advance(prev, ps, now)
    local used = capacity(prev) - pa.remaining(prev, ps, now)
    a.init(l, s, now)
    local kept = math.min(used, a.remaining(l, s, now))
    if kept > 0 then a.take(l, s, kept, now) end
  end
  states[i] = s
end

local retryAfter = 0
local violated = {}
local denied = false
for i = 1, n do
  local l = limits[i]
  local d = algo[l.alg].deficit(l, states[i], cost, now)
  if d ~= 0 then
    violated[i] = 1
    denied = true
    if d == NEVER or retryAfter == NEVER then
      retryAfter = NEVER
    elseif d > retryAfter then
      retryAfter = d
    end
  else
    violated[i] = 0
  end
end

local reply = {denied and 0 or 1, now, retryAfter}
for i = 1, n do
  local l = limits[i]
  local a = algo[l.alg]
  local s = states[i]
  if not denied then
    a.take(l, s, cost, now)
  end
  local reset = a.resetAfter(l, s, now)
  if not denied then
    local value = l.print .. '|' .. fmt(now) .. '|' .. fmt(s[1]) .. '|' .. fmt(s[2]) .. '|' .. fmt(s[3])
    if unitsPerMs > 0 then
      -- gone exactly when whole again: never earlier (rounded up), and never immortal
      local ttl = math.max(1, math.ceil(reset / unitsPerMs))
      redis.call('SET', KEYS[i], value, 'PX', ttl)
      if l.alg == SLIDING_LOG then redis.call('PEXPIRE', l.log, ttl) end
    else
      redis.call('SET', KEYS[i], value)
    end
  end
  reply[#reply + 1] = a.remaining(l, s, now)
  reply[#reply + 1] = reset
  reply[#reply + 1] = violated[i]
end
return reply
