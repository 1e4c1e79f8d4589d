namespace ApiTokens.EntityFrameworkCore;

/// <summary>Which unique key a failed write collided with.</summary>
internal enum UniqueKey
{
    /// <summary>Not a unique-key violation (or not one of ours).</summary>
    None,

    /// <summary>(account_id, name).</summary>
    Name,

    /// <summary>(account_id, selector), or (previous_selector, account_id).</summary>
    Selector,
}
