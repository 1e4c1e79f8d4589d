using System.Globalization;

namespace ApiTokens.EntityFrameworkCore;

/// <summary>The sentences this package shows developers at start-up; each names the call to add.</summary>
internal static class StartupMessages
{
    public static string NoTokenTable(string context) => string.Format(
        CultureInfo.InvariantCulture,
        "The DbContext {0} given to AddEntityFrameworkStore<{0}>() or AddEntityFrameworkAuditStore<{0}>() has no API token table in its model. Call modelBuilder.AddApiTokens() in {0}.OnModelCreating, then add a migration (or call EnsureApiTokensCreatedAsync) to create the table.",
        context);

    public static string ContextNotRegistered(string context) => string.Format(
        CultureInfo.InvariantCulture,
        "AddEntityFrameworkStore<{0}>() (or AddEntityFrameworkAuditStore<{0}>()) found no {0} in the services. Register it with services.AddDbContext<{0}>(…), or use AddEntityFrameworkStore(o => o.UseSqlite(…)) for the ready ApiTokensDbContext.",
        context);
}
