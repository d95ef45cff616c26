"""The queue's atomic steps, as Lua scripts run by Redis (handoff/queue/store.py registers them).

Every step that moves a conversation in or out of the waiting queue also moves it in or out of the
ranked index (handoff/queue/rank_index.py), in the same step: the index never shows a conversation
that is not waiting, nor misses one that is. Index keys are ``<rank prefix><skill>:<language>``,
the skill and language read from the entry itself.
"""

# Claim one conversation by id, only if still waiting: the state check and the move are one step.
# KEYS: entry, queue, the agent's conversations, version; ARGV: id, agent, display name, now, rank prefix.
CLAIM = """
if redis.call('HGET', KEYS[1], 'state') ~= 'queued' then return 0 end
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
local route = redis.call('HMGET', KEYS[1], 'skill', 'language')
redis.call('ZREM', ARGV[5] .. (route[1] or '') .. ':' .. (route[2] or ''), ARGV[1])
redis.call('HSET', KEYS[1], 'state', 'assigned', 'agent', ARGV[2], 'agent_display', ARGV[3], 'claimed_at', ARGV[4])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('INCR', KEYS[4])
return 1
"""

# The claiming itself, shared by the two claim-next scripts below (a Lua function, not a script).
_TAKE = """
local function take(id, index)
  local key = ARGV[1] .. id
  if redis.call('HGET', key, 'state') ~= 'queued' or redis.call('ZREM', KEYS[1], id) == 0 then
    redis.call('ZREM', index, id)  -- not waiting: never offered again
    return false
  end
  redis.call('ZREM', index, id)
  redis.call('HSET', key, 'state', 'assigned', 'agent', ARGV[2], 'agent_display', ARGV[3], 'claimed_at', ARGV[4])
  redis.call('SADD', KEYS[2], id)
  redis.call('INCR', KEYS[3])
  return true
end
"""

# Claim next for an agent every waiting case of their routes is open to (routing.takes_any): the
# best-ranked head among their index keys, lowest score first and then the lower id (the order
# ZRANGE keeps within one key). Reads one entry per key, however long the queue.
# KEYS: queue, the agent's conversations, version; ARGV: conv key prefix, agent, display name, now,
# then the agent's index keys.
CLAIM_BEST = (
    _TAKE
    + """
for _ = 1, 1000 do
  local best, best_score, best_index = nil, nil, nil
  for i = 5, #ARGV do
    local head = redis.call('ZRANGE', ARGV[i], 0, 0, 'WITHSCORES')
    if head[1] then
      local score = tonumber(head[2])
      if best == nil or score < best_score or (score == best_score and head[1] < best) then
        best, best_score, best_index = head[1], score, ARGV[i]
      end
    end
  end
  if best == nil then return false end
  if take(best, best_index) then return best end
end
return false
"""
)

# Claim next among candidates the service chose (an agent some cases are closed to): the first of
# them, best first, that is still waiting. ARGV as CLAIM_BEST, but pairs of (id, its index key).
CLAIM_FIRST = (
    _TAKE
    + """
for i = 5, #ARGV, 2 do
  if take(ARGV[i], ARGV[i + 1]) then return ARGV[i] end
end
return false
"""
)

# The customer's latest line on their queue entry, only while the entry exists (never a stub).
SET_LAST_LINE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'last_message', ARGV[1], 'last_message_at', ARGV[2])
return 1
"""

# Back to the queue (agent gone or gave it up), only if still held by that agent.
# KEYS: entry, queue, the agent's conversations, version; ARGV: id, agent, rank prefix, index score
# (routing.standing of the entry, computed by the caller from the entry's fields, which a
# conversation keeps while it is live).
RELEASE = """
if redis.call('HGET', KEYS[1], 'state') ~= 'assigned' then return 0 end
if redis.call('HGET', KEYS[1], 'agent') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'queued', 'agent', '', 'agent_display', '', 'claimed_at', '')
redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[1], 'requested_at'), ARGV[1])
local route = redis.call('HMGET', KEYS[1], 'skill', 'language')
redis.call('ZADD', ARGV[3] .. (route[1] or '') .. ':' .. (route[2] or ''), ARGV[4], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('INCR', KEYS[4])
return 1
"""

# End (outcome, back to the bot, customer left); ARGV[2] = '' lets a supervisor end anyone's.
# KEYS: entry, queue, agent key prefix, version, live; ARGV: id, agent or '', now, rank prefix.
FINISH = """
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'assigned' and state ~= 'queued' then return 0 end
local agent = redis.call('HGET', KEYS[1], 'agent') or ''
if ARGV[2] ~= '' and agent ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'ended', 'ended_at', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
local route = redis.call('HMGET', KEYS[1], 'skill', 'language')
redis.call('ZREM', ARGV[4] .. (route[1] or '') .. ':' .. (route[2] or ''), ARGV[1])
if agent ~= '' then redis.call('SREM', KEYS[3] .. agent .. ':convs', ARGV[1]) end
redis.call('INCR', KEYS[4])
return 1
"""

# A chat line with a source id (the bridge's message id, a supervisor joining): added once however
# often it comes. ARGV: source id, maxlen, then field, value, ...; returns the line's id (the old one if known).
ADD_ONCE = """
local known = redis.call('HGET', KEYS[2], ARGV[1])
if known then return known end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
redis.call('HSET', KEYS[2], ARGV[1], id)
redis.call('INCR', KEYS[3])
return id
"""
