using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// The in-memory side of last-used tracking: one slot per recently used token, holding its latest use. The request path
/// (<see cref="Note"/>) only writes a slot (no lock, no allocation once the token has one); <see cref="UsageWriter"/> takes the
/// pending ones every interval.
/// </summary>
/// <remarks>
/// A slot's time and address are two fields: two requests of one token at the same instant may leave the time of one with the
/// address of the other, which is harmless. A slot unused for two intervals is dropped, so the map holds only tokens in use.
/// </remarks>
internal sealed class UsageTracker
{
    private readonly ConcurrentDictionary<Guid, Slot> _slots = new();

    public UsageTracker(IOptions<ApiTokenOptions> options) => Enabled = options.Value.Usage.Enabled;

    public bool Enabled { get; }

    /// <summary>How many tokens have a slot (for tests).</summary>
    internal int SlotCount => _slots.Count;

    /// <summary>Notes that <paramref name="token"/> authenticated a request at <paramref name="nowTicks"/> (UTC) from <paramref name="address"/>.</summary>
    public void Note(ApiToken token, long nowTicks, IPAddress? address)
    {
        if (!Enabled)
        {
            return;
        }

        if (!_slots.TryGetValue(token.Id, out var slot))
        {
            slot = _slots.GetOrAdd(token.Id, static (_, accountId) => new Slot(accountId), token.AccountId);
        }

        while (!slot.Note(nowTicks, address))
        {
            // The writer dropped this idle slot meanwhile: note the use in a fresh one, never in the dropped one.
            slot = _slots.GetOrAdd(token.Id, static (_, accountId) => new Slot(accountId), token.AccountId);
        }
    }

    /// <summary>Takes every pending use (clearing it) and drops slots idle since the last two takes.</summary>
    public List<Pending> TakePending()
    {
        var pending = new List<Pending>();
        foreach (var (id, slot) in _slots)
        {
            if (slot.TryTake(out var usage, id))
            {
                pending.Add(new Pending(slot, usage));
            }
            else if (++slot.IdleTakes >= 2 && slot.TryRetire())
            {
                // Retired only while nothing was pending; a Note that comes later finds it retired and uses a fresh slot.
                _slots.TryRemove(new KeyValuePair<Guid, Slot>(id, slot));
            }
        }

        return pending;
    }

    /// <summary>How many tokens have a use not yet taken for writing.</summary>
    public int CountPending() => _slots.Values.Count(s => s.IsPending);

    /// <summary>Puts uses back after a failed write: the slot still holds its latest use (this one or a later one).</summary>
    public void Restore(IEnumerable<Pending> pending)
    {
        foreach (var p in pending)
        {
            if (!p.Slot.MarkPending())
            {
                // Retired meanwhile (it cannot be, while a use is out; kept for safety): put the use in the token's current slot.
                var slot = _slots.GetOrAdd(p.Usage.TokenId, static (_, accountId) => new Slot(accountId), p.Usage.AccountId);
                slot.CopyFrom(p.Slot);
            }
        }
    }

    /// <summary>A use taken for writing, with the slot it came from (to put it back if the write fails).</summary>
    internal readonly record struct Pending(Slot Slot, ApiTokenUsage Usage);

    internal sealed class Slot(string accountId)
    {
        private long _ticks;
        private IPAddress? _address;
        private const int StateIdle = 0;
        private const int StatePending = 1;
        private const int StateRetired = -1;

        private int _pending;

        public int IdleTakes { get; set; }

        /// <summary>Notes a use; <see langword="false"/> when the slot was retired (note it in a fresh one).</summary>
        public bool Note(long ticks, IPAddress? address)
        {
            // Already pending within the same second from the same address (behind a proxy a new object each request): nothing to change,
            // and no write to a cache line other cores read.
            if (Volatile.Read(ref _pending) == StatePending
                && Equals(Volatile.Read(ref _address), address)
                && ticks - Volatile.Read(ref _ticks) < TimeSpan.TicksPerSecond)
            {
                return true;
            }

            Volatile.Write(ref _address, address);
            Volatile.Write(ref _ticks, ticks);
            return MarkPending();
        }

        public bool TryTake(out ApiTokenUsage usage, Guid tokenId)
        {
            if (Interlocked.CompareExchange(ref _pending, StateIdle, StatePending) != StatePending)
            {
                usage = null!;
                return false;
            }

            IdleTakes = 0;
            var ticks = Volatile.Read(ref _ticks);
            var address = Volatile.Read(ref _address);
            usage = new ApiTokenUsage(
                accountId,
                tokenId,
                new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
                address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());
            return true;
        }

        /// <summary>Marks a use pending; <see langword="false"/> when the slot was retired (the use must go to a fresh slot).</summary>
        public bool MarkPending() => Interlocked.CompareExchange(ref _pending, StatePending, StateIdle) != StateRetired;

        public bool IsPending => Volatile.Read(ref _pending) == StatePending;

        /// <summary>Retires an idle slot for removal; <see langword="false"/> when a use is pending.</summary>
        public bool TryRetire() => Interlocked.CompareExchange(ref _pending, StateRetired, StateIdle) == StateIdle;

        public void CopyFrom(Slot other) => Note(Volatile.Read(ref other._ticks), Volatile.Read(ref other._address));
    }
}
