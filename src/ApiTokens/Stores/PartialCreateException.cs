namespace ApiTokens;

/// <summary>
/// A <see cref="IApiTokenStore.CreateManyAsync"/> that failed and could not remove all it had added: <see cref="Stored"/> are in
/// the store (and work). The inner exception is the delete's fault.
/// </summary>
#pragma warning disable CA1032 // Internal: thrown only by SequentialCreate, with the tokens left stored.
internal sealed class PartialCreateException(IReadOnlyList<ApiToken> stored, Exception? innerException)
    : Exception("The store failed while adding several tokens and could not remove the ones already added.", innerException)
#pragma warning restore CA1032
{
    public IReadOnlyList<ApiToken> Stored { get; } = stored;
}
