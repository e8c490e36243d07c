-- One violation of one client, atomically: the same transition as the in-memory PenaltyBox
-- (dev.sluice.ratelimit.policy), step for step, in integer units of time. Numbers are Lua doubles;
-- the caller bounds every duration so that every sum stays below 2^53.
--
-- KEYS[1]: the client's record, "windowStart|violations|level|until|forgetAt" (until empty: no
--          penalty yet). It expires at forgetAt, when nothing in it matters any more.
-- ARGV: now (empty: Redis TIME in microseconds), units per millisecond for the TTL (0: no TTL),
--       threshold, window, resetAfter, then the cooldown of levels 1, 2, ... up to the first that
--       reaches the maximum (higher levels last as long as the last one given).
-- Reply: {level, remaining (0 unless a penalty is in force), started (1 when this violation
--         started a penalty)}.

local now
if ARGV[1] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
else
  now = tonumber(ARGV[1])
end
local unitsPerMs = tonumber(ARGV[2])
local threshold = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local resetAfter = tonumber(ARGV[5])
local cooldowns = #ARGV - 5

local before = redis.call('GET', KEYS[1])
local bStart, bViolations, bLevel, bUntil
if before then
  local fStart, fViolations, fLevel, fUntil =
    string.match(before, '^(-?%d+)|(-?%d+)|(-?%d+)|(-?%d*)|(-?%d+)$')
  if not fStart then
    return redis.error_reply('penalty record ' .. KEYS[1] .. ' is not a penalty record: ' .. before)
  end
  bStart, bViolations, bLevel, bUntil =
    tonumber(fStart), tonumber(fViolations), tonumber(fLevel), tonumber(fUntil)
  if bUntil and now < bUntil then
    -- refused while already serving a penalty (a request that raced its start): no new offence
    return {bLevel, bUntil - now, 0}
  end
end

local level, untilAt, windowStart, violations = 0, nil, now, 0
if before then
  if bUntil and now < bUntil + resetAfter then
    level = bLevel
  end
  untilAt = bUntil
  if now - bStart < window then
    windowStart = bStart
    violations = bViolations
  end
end
violations = violations + 1

local function write(record, forgetAt)
  if unitsPerMs > 0 then
    local ttl = math.max(1, math.ceil((forgetAt - now) / unitsPerMs))
    redis.call('SET', KEYS[1], record, 'PX', ttl)
  else
    redis.call('SET', KEYS[1], record)
  end
end

if violations >= threshold then
  level = level + 1
  untilAt = now + tonumber(ARGV[5 + math.min(level, cooldowns)])
  local forgetAt = untilAt + resetAfter
  write(string.format('%.0f|0|%.0f|%.0f|%.0f', now, level, untilAt, forgetAt), forgetAt)
  return {level, untilAt - now, 1}
end

local forgetAt = windowStart + window
local kept = untilAt and (untilAt + resetAfter) or now
if kept > forgetAt then
  forgetAt = kept
end
local untilText = untilAt and string.format('%.0f', untilAt) or ''
write(string.format('%.0f|%.0f|%.0f|%s|%.0f', windowStart, violations, level, untilText, forgetAt),
  forgetAt)
return {level, 0, 0}
