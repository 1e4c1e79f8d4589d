using ApiTokens.Redis.Internal;

namespace ApiTokens.Redis.Tests;

/// <summary>The outbox alone, without Redis: order, the bound and its clear-all, and waiting until changes are published.</summary>
public sealed class OutboxTests
{
    [Fact]
    public void Changes_ArePublishedInTheOrderTheyWereMade()
    {
        var outbox = new ChangeOutbox(capacity: 10);
        outbox.Add("a");
        outbox.Add("b");
        outbox.Add("c");

        Assert.Equal(["a", "b", "c"], Drain(outbox));
        Assert.Equal(0, outbox.Count);
    }

    [Fact]
    public void AFailedPublish_LeavesTheChangeFirstInLine()
    {
        var outbox = new ChangeOutbox(capacity: 10);
        outbox.Add("a");
        outbox.Add("b");

        Assert.True(outbox.TryPeek(out var first));
        // Publishing failed: nothing completed. The next attempt sends the same change, still before "b".
        Assert.True(outbox.TryPeek(out var again));

        Assert.Same(first, again);
        Assert.Equal(["a", "b"], Drain(outbox));
    }

    [Fact]
    public void OneChangeTooMany_ReplacesEverythingWithOneClearAll_ReportedOnce()
    {
        var outbox = new ChangeOutbox(capacity: 3);
        Assert.False(outbox.Add("a"));
        Assert.False(outbox.Add("b"));
        Assert.False(outbox.Add("c"));

        Assert.True(outbox.Add("d"));

        Assert.True(outbox.TryPeek(out var head));
        Assert.True(head.IsClearAll);
        Assert.Equal(1, outbox.Count);
        Assert.Equal(4, head.Sequence);
    }

    [Fact]
    public void ChangesAfterAnOverflow_QueueBehindTheClearAll_AndAnotherOverflowIsNotReportedAgain()
    {
        var outbox = new ChangeOutbox(capacity: 2);
        outbox.Add("a");
        outbox.Add("b");
        Assert.True(outbox.Add("c"));

        Assert.False(outbox.Add("d"));
        Assert.Equal([null, "d"], Drain(outbox));

        // Drained: the next overflow is news again.
        outbox.Add("e");
        outbox.Add("f");
        Assert.True(outbox.Add("g"));
    }

    [Fact]
    public void OverflowingAgain_FoldsTheEarlierClearAllIntoTheNewOne()
    {
        var outbox = new ChangeOutbox(capacity: 2);
        outbox.Add("a");
        outbox.Add("b");
        outbox.Add("c"); // [clear-all]
        outbox.Add("d"); // [clear-all, d]
        outbox.Add("e"); // [clear-all]

        Assert.Equal([null], Drain(outbox));
    }

    [Fact]
    public void WithCapacityZero_ASingleChangeIsStillSentAsItself()
    {
        var outbox = new ChangeOutbox(capacity: 0);

        Assert.False(outbox.Add("a"));
        Assert.Equal(["a"], Drain(outbox));

        outbox.Add("b");
        Assert.True(outbox.Add("c"));
        Assert.Equal([null], Drain(outbox));
    }

    [Fact]
    public async Task WhenPublished_NothingQueued_IsTrueAtOnce()
    {
        var outbox = new ChangeOutbox(capacity: 10);

        Assert.True(await outbox.WhenPublishedAsync(CancellationToken.None));

        outbox.Add("a");
        Drain(outbox);
        Assert.True(await outbox.WhenPublishedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WhenPublished_CompletesOnceEverythingAddedBeforeTheCallIsPublished_NotLaterChanges()
    {
        var outbox = new ChangeOutbox(capacity: 10);
        outbox.Add("a");
        outbox.Add("b");

        var flushed = outbox.WhenPublishedAsync(CancellationToken.None);
        outbox.Add("c");
        CompleteHead(outbox);
        Assert.False(flushed.IsCompleted);
        CompleteHead(outbox);

        Assert.True(await flushed);
        Assert.Equal(1, outbox.Count); // "c" was added after the call: not waited for
    }

    [Fact]
    public async Task WhenPublished_TheClearAllThatReplacedTheChanges_CountsAsPublishingThem()
    {
        var outbox = new ChangeOutbox(capacity: 2);
        outbox.Add("a");
        outbox.Add("b");
        outbox.Add("c");
        var flushed = outbox.WhenPublishedAsync(CancellationToken.None);

        CompleteHead(outbox);

        Assert.True(await flushed);
    }

    [Fact]
    public async Task AChangePublishedWhileAnOverflowReplacedIt_LeavesTheClearAllToBeSent()
    {
        var outbox = new ChangeOutbox(capacity: 2);
        outbox.Add("a");
        outbox.Add("b");
        Assert.True(outbox.TryPeek(out var inFlight));
        outbox.Add("c"); // overflow while "a" is being published
        var flushed = outbox.WhenPublishedAsync(CancellationToken.None);

        outbox.Complete(inFlight);

        Assert.False(flushed.IsCompleted);
        Assert.True(outbox.TryPeek(out var head));
        Assert.True(head.IsClearAll);
        CompleteHead(outbox);
        Assert.True(await flushed);
    }

    [Fact]
    public async Task WhenPublished_Cancelled_IsFalse_AndTheChangesStayQueued()
    {
        var outbox = new ChangeOutbox(capacity: 10);
        outbox.Add("a");
        using var cancel = new CancellationTokenSource();

        var flushed = outbox.WhenPublishedAsync(cancel.Token);
        Assert.False(flushed.IsCompleted);
        await cancel.CancelAsync();

        Assert.False(await flushed);
        Assert.Equal(["a"], Drain(outbox));
    }

    [Fact]
    public async Task Close_TellsWaitersFalse_AndLaterCallersAtOnce()
    {
        var outbox = new ChangeOutbox(capacity: 10);
        outbox.Add("a");
        var waiting = outbox.WhenPublishedAsync(CancellationToken.None);

        outbox.Close();

        Assert.False(await waiting);
        Assert.False(await outbox.WhenPublishedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WaitForChange_CompletesWhenAChangeIsAdded()
    {
        var outbox = new ChangeOutbox(capacity: 10);
        var waiting = outbox.WaitForChangeAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        outbox.Add("a");

        await waiting;
        Assert.True(outbox.WaitForChangeAsync(CancellationToken.None).IsCompleted);
    }

    /// <summary>Publishes everything, as a sender whose every publish succeeds; the account ids in order (null: clear all).</summary>
    private static List<string?> Drain(ChangeOutbox outbox)
    {
        var sent = new List<string?>();
        while (outbox.TryPeek(out var change))
        {
            sent.Add(change.AccountId);
            outbox.Complete(change);
        }

        return sent;
    }

    private static void CompleteHead(ChangeOutbox outbox)
    {
        Assert.True(outbox.TryPeek(out var head));
        outbox.Complete(head);
    }
}
