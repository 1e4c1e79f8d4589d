namespace ApiTokens;

/// <summary>
/// Thrown by <see cref="ApiTokenManager"/> reads (list, find) when the token store or account provider cannot be
/// reached. Writes return <see cref="ApiTokenErrors.StoreUnavailable"/> instead. The message is safe to show.
/// </summary>
public sealed class ApiTokenStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ApiTokenStoreUnavailableException()
        : base(Messages.StoreUnavailable)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ApiTokenStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception around the store's own exception.</summary>
    public ApiTokenStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
