using System.Net;
using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.Usage;

/// <summary>The in-memory side of last-used tracking: what a request costs and what the writer takes.</summary>
public sealed class UsageTrackerTests
{
    private static readonly ApiToken Token = TestTokens.New("acct-1", "main");

    private static readonly long Now = TestTokens.Created.AddMinutes(3).UtcTicks;

    private static UsageTracker NewTracker(bool enabled = true) =>
        new(Options.Create(new ApiTokenOptions { Usage = { Enabled = enabled } }));

    [Fact]
    public void NotingAnAlreadyNotedToken_AllocatesNothing()
    {
        var tracker = NewTracker();
        tracker.Note(Token, Now, IPAddress.Loopback);
        NoteMany(tracker); // JIT (and tier-up) outside the measurement

        // The least of a few rounds: the runtime may allocate now and then on its own (tiering), never per call.
        var least = Enumerable.Range(0, 5).Min(_ =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            NoteMany(tracker);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        });
        var before = GC.GetAllocatedBytesForCurrentThread();
        tracker.Note(TestTokens.New("acct-1", "other"), Now, IPAddress.Loopback);
        var forANewToken = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, least);
        Assert.True(forANewToken > 0, "the measurement sees a new token's slot");
    }

    /// <summary>A thousand uses, a second apart, alternating addresses: both the unchanged and the changing path.</summary>
    private static void NoteMany(UsageTracker tracker)
    {
        for (var i = 0; i < 1_000; i++)
        {
            tracker.Note(Token, Now + (i * TimeSpan.TicksPerSecond), i % 2 == 0 ? IPAddress.Loopback : IPAddress.IPv6Loopback);
            tracker.Note(Token, Now + (i * TimeSpan.TicksPerSecond), i % 2 == 0 ? IPAddress.Loopback : IPAddress.IPv6Loopback);
        }
    }

    [Fact]
    public void TheWriterTakes_OneEntryPerToken_WithTheLatestUse_InWholeSeconds_AndAMappedAddressAsIPv4()
    {
        var tracker = NewTracker();
        tracker.Note(Token, Now, IPAddress.Parse("192.0.2.1"));
        tracker.Note(Token, Now + (5 * TimeSpan.TicksPerSecond) + 1234, IPAddress.Parse("::ffff:192.0.2.2"));

        var taken = Assert.Single(tracker.TakePending());

        Assert.Equal(new ApiTokenUsage("acct-1", Token.Id, new DateTimeOffset(Now, TimeSpan.Zero).AddSeconds(5), "192.0.2.2"), taken.Usage);
        Assert.Empty(tracker.TakePending()); // nothing new since
    }

    [Fact]
    public void AFailedWrite_PutsTheUseBack_ForTheNextInterval()
    {
        var tracker = NewTracker();
        tracker.Note(Token, Now, IPAddress.Loopback);
        var failed = tracker.TakePending();

        tracker.Restore(failed);

        Assert.Equal(failed.Single().Usage, Assert.Single(tracker.TakePending()).Usage);
    }

    [Fact]
    public void ASlotIdleForTwoIntervals_IsDropped_AndATokenUsedAgainGetsANewOne()
    {
        var tracker = NewTracker();
        tracker.Note(Token, Now, null);
        _ = tracker.TakePending();
        _ = tracker.TakePending();
        Assert.Equal(1, tracker.SlotCount);
        _ = tracker.TakePending();
        Assert.Equal(0, tracker.SlotCount);

        tracker.Note(Token, Now + TimeSpan.TicksPerMinute, null);
        Assert.Null(Assert.Single(tracker.TakePending()).Usage.Address);
    }

    [Fact]
    public void Disabled_NotesNothing()
    {
        var tracker = NewTracker(enabled: false);
        tracker.Note(Token, Now, IPAddress.Loopback);
        Assert.Empty(tracker.TakePending());
        Assert.Equal(0, tracker.SlotCount);
    }

    [Fact]
    public void AUseNotedInASlotTheWriterJustRetired_IsNotLost()
    {
        // The review's race: a request holding a slot the writer dropped as idle marked it pending, and the use was never written.
        var slot = new UsageTracker.Slot("acct-1");
        Assert.True(slot.TryRetire());
        Assert.False(slot.Note(Now, IPAddress.Loopback)); // refused: the tracker notes it in a fresh slot instead
        Assert.False(slot.TryTake(out _, Token.Id));

        var tracker = NewTracker();
        tracker.Note(Token, Now, IPAddress.Loopback);
        var taken = tracker.TakePending();
        Assert.Single(taken);
        Assert.Empty(tracker.TakePending());
        Assert.Empty(tracker.TakePending()); // idle twice: retired and dropped
        tracker.Note(Token, Now + TimeSpan.TicksPerMinute, IPAddress.Loopback);
        var again = Assert.Single(tracker.TakePending());
        Assert.Equal(new DateTimeOffset(Now + TimeSpan.TicksPerMinute, TimeSpan.Zero).AddTicks(-((Now + TimeSpan.TicksPerMinute) % TimeSpan.TicksPerSecond)), again.Usage.UsedAt);

        // A failed write puts a use back even when its slot was retired meanwhile.
        tracker.Restore([again]);
        Assert.Single(tracker.TakePending());
    }
}
