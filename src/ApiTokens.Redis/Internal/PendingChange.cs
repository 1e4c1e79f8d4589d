namespace ApiTokens.Redis.Internal;

/// <summary>One entry of the <see cref="ChangeOutbox"/>: an account changed, or (after an overflow) anything may have.</summary>
/// <param name="AccountId">The account whose cached tokens are stale; null when every node must clear its whole cache.</param>
/// <param name="Sequence">The number of the newest change this entry covers (changes are numbered from 1 as they are added).</param>
internal sealed record PendingChange(string? AccountId, long Sequence)
{
    /// <summary>Whether this entry stands for every change up to <see cref="Sequence"/>: the other nodes clear everything.</summary>
    public bool IsClearAll => AccountId is null;
}
