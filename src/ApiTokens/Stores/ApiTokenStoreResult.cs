namespace ApiTokens;

/// <summary>The outcome of a store write.</summary>
public enum ApiTokenStoreResult
{
    /// <summary>Written.</summary>
    Success,

    /// <summary>The account already has a token with that name.</summary>
    DuplicateName,

    /// <summary>The account already has a token with that selector.</summary>
    DuplicateSelector,

    /// <summary>No such token.</summary>
    NotFound,

    /// <summary>The token changed since it was read.</summary>
    ConcurrencyFailure,
}
