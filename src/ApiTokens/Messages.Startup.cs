namespace ApiTokens;

/// <summary>Start-up sentences: a registration that is missing, or a scheme setting that cannot be read.</summary>
internal static partial class Messages
{
    public const string NoStore =
        "No API token store is registered. Choose one on services.AddApiTokens(): .AddInMemoryStore() for tests and samples (tokens are lost on restart), or .AddEntityFrameworkStore<TContext>() from the ApiTokens.EntityFrameworkCore package to keep them in your database.";

    public const string NoAccountProvider =
        "No API token account provider is registered. Tell the library who your users are and which privileges they hold: services.AddApiTokens()...AddAccountProvider<TProvider>() with your IApiTokenAccountProvider, or .AddInMemoryAccounts(...) for tests and samples.";

    public static string SchemeSettingNotANumber(string key, string value) =>
        Format($"The setting {key} must be a whole number, not “{Shorten(value)}”.");
}
