namespace ApiTokens;

/// <summary>
/// The default <see cref="IApiTokenStore.CreateManyAsync"/>: one <see cref="IApiTokenStore.CreateAsync"/> after another and, when
/// one fails or throws, a delete of each token added so far. When that undo fails too, <see cref="PartialCreateException"/>
/// says which tokens stay stored.
/// </summary>
internal static class SequentialCreate
{
    public static async Task<ApiTokenStoreResult> RunAsync(IApiTokenStore store, IReadOnlyList<ApiToken> tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var stored = new List<ApiToken>(tokens.Count);
        try
        {
            foreach (var token in tokens)
            {
                var result = await store.CreateAsync(token, cancellationToken).ConfigureAwait(false);
                if (result != ApiTokenStoreResult.Success)
                {
                    await UndoAsync(store, stored, null).ConfigureAwait(false);
                    return result;
                }

                stored.Add(token);
            }
        }
        catch (Exception ex) when (ex is not PartialCreateException && stored.Count > 0)
        {
            await UndoAsync(store, stored, ex).ConfigureAwait(false);
            throw;
        }

        return ApiTokenStoreResult.Success;
    }

    /// <summary>Deletes <paramref name="stored"/> again; throws <see cref="PartialCreateException"/> naming what it could not.</summary>
    private static async Task UndoAsync(IApiTokenStore store, List<ApiToken> stored, Exception? cause)
    {
        var left = new List<ApiToken>();
        Exception? fault = null;
        foreach (var token in stored)
        {
            try
            {
                await store.DeleteAsync(token.AccountId, token.Id, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Whatever the delete threw, the token is still stored: the caller must hear which.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                left.Add(token);
                fault ??= ex;
            }
        }

        if (left.Count > 0)
        {
            throw new PartialCreateException(left, fault ?? cause);
        }
    }
}
