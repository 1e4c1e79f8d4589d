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

        slot.Note(nowTicks, address);
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
            else if (++slot.IdleTakes >= 2 && _slots.TryRemove(new KeyValuePair<Guid, Slot>(id, slot))
                && slot.TryTake(out usage, id))
            {
                // Noted between the check and the removal: still written, from the removed slot.
                pending.Add(new Pending(slot, usage));
            }
        }

        return pending;
    }

    /// <summary>Puts uses back after a failed write: the slot still holds its latest use (this one or a later one).</summary>
    public static void Restore(IEnumerable<Pending> pending)
    {
        foreach (var p in pending)
        {
            p.Slot.MarkPending();
        }
    }

    /// <summary>A use taken for writing, with the slot it came from (to put it back if the write fails).</summary>
    internal readonly record struct Pending(Slot Slot, ApiTokenUsage Usage);

    internal sealed class Slot(string accountId)
    {
        private long _ticks;
        private IPAddress? _address;
        private int _pending;

        public int IdleTakes { get; set; }

        public void Note(long ticks, IPAddress? address)
        {
            // Already pending within the same second from the same address (behind a proxy a new object each request): nothing to change,
            // and no write to a cache line other cores read.
            if (Volatile.Read(ref _pending) == 1
                && Equals(Volatile.Read(ref _address), address)
                && ticks - Volatile.Read(ref _ticks) < TimeSpan.TicksPerSecond)
            {
                return;
            }

            Volatile.Write(ref _address, address);
            Volatile.Write(ref _ticks, ticks);
            Volatile.Write(ref _pending, 1);
        }

        public bool TryTake(out ApiTokenUsage usage, Guid tokenId)
        {
            if (Interlocked.Exchange(ref _pending, 0) == 0)
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

        public void MarkPending() => Volatile.Write(ref _pending, 1);
    }
}
