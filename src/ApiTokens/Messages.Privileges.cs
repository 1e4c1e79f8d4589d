namespace ApiTokens;

/// <summary>The privilege catalogue's start-up errors (<see cref="PrivilegeCatalogRules"/>): each names the entry and says what to do.</summary>
internal static partial class Messages
{
    public static string PrivilegeWithoutName(string setting) => Format(
        $"{setting} has no name. Give each privilege a Name, for example orders.read.");

    public static string InvalidPrivilegeName(string setting, string name) => Format(
        $"{setting}:Name “{Shorten(name)}” is not a valid privilege name. {PrivilegeNames.Rule}");

    public static string DuplicatePrivilege(string setting, string name, string first) => Format(
        $"{setting}:Name “{Shorten(name)}” is already defined by {first}. Each privilege name can appear only once; remove one of them.");

    public static string PrivilegesDifferOnlyInCase(string setting, string name, string existing, string first) => Format(
        $"{setting}:Name “{Shorten(name)}” differs only in case from “{Shorten(existing)}” ({first}). Names are compared exactly, so one catalogue cannot hold both; keep one spelling.");

    public static string PrivilegeRedefinesAll(string setting, string name) => Format(
        $"{setting}:Name “{Shorten(name)}” redefines root access ('{WhmPrivileges.All}'), which every catalogue has built in and which satisfies every privilege check. Remove it, or choose another name.");
}
