namespace ApiTokens;

/// <summary>
/// Which optional <see cref="IApiTokenStore"/> members a store type implements. A store, or a decorator, written before a member
/// was added keeps the interface's default, which finds nothing: the features that need it (leak revocation, expiry warnings)
/// would silently never happen, so they check at start-up and say so in the log.
/// </summary>
internal static class StoreMethods
{
    /// <summary>
    /// Whether <paramref name="storeType"/> (or a base class of it) implements the interface method <paramref name="name"/>
    /// itself: the interface map's target is declared on a class, not on <see cref="IApiTokenStore"/>.
    /// </summary>
    public static bool Implements(Type storeType, string name)
    {
        ArgumentNullException.ThrowIfNull(storeType);
        var map = storeType.GetInterfaceMap(typeof(IApiTokenStore));
        for (var i = 0; i < map.InterfaceMethods.Length; i++)
        {
            if (map.InterfaceMethods[i].Name == name)
            {
                return map.TargetMethods[i].DeclaringType != typeof(IApiTokenStore);
            }
        }

        return false;
    }

    /// <summary>The names among <paramref name="names"/> that <paramref name="storeType"/> leaves to the interface's default.</summary>
    public static IReadOnlyList<string> Missing(Type storeType, params string[] names) =>
        [.. names.Where(name => !Implements(storeType, name))];

    /// <summary>The store type's name for a log line.</summary>
    public static string NameOf(Type storeType) => storeType.FullName ?? storeType.Name;
}
