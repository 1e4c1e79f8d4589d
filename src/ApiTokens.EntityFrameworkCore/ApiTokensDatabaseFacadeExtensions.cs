using System.Data.Common;
using System.Globalization;
using ApiTokens.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;

namespace Microsoft.EntityFrameworkCore;

/// <summary>
/// Creates the API token tables (<c>api_tokens</c> and <c>api_token_audit</c>) without the EF Core command-line tools, in any
/// context whose model calls <c>modelBuilder.AddApiTokens()</c>, on whatever provider the context uses.
/// </summary>
public static class ApiTokensDatabaseFacadeExtensions
{
    private static readonly Type[] TableTypes = [typeof(ApiTokenEntity), typeof(ApiTokenAuditEntity)];

    /// <summary>
    /// The DDL that creates the API token table and the audit table with their indexes (and their schema, if they have one)
    /// for this context's provider: review it, or apply it with your own migration tooling.
    /// </summary>
    public static string GenerateApiTokensCreateScript(this DatabaseFacade database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return string.Concat(CreateCommands(database, TableTypes).Select(c => c.CommandText));
    }

    /// <summary>
    /// Creates whichever of the API token table and the audit table does not exist yet, with its indexes, in one transaction; leaves
    /// every other table alone (unlike <see cref="DatabaseFacade.EnsureCreatedAsync(CancellationToken)"/>, which does nothing when
    /// the database already has tables). On a database made by an earlier version, which has only <c>api_tokens</c>, it creates
    /// just <c>api_token_audit</c>; it never changes a table that exists (the package README has the <c>ALTER TABLE</c> statements
    /// for new columns). Safe when several nodes start at once. Call it at start-up, outside a transaction. Returns whether it
    /// created a table.
    /// </summary>
    public static async Task<bool> EnsureApiTokensCreatedAsync(this DatabaseFacade database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var missing = await MissingTablesAsync(database, cancellationToken).ConfigureAwait(false);
        if (missing.Count == 0)
        {
            return false;
        }

        var commands = CreateCommands(database, missing);
        var connection = database.GetService<IRelationalConnection>();
        try
        {
            await database.GetService<IMigrationCommandExecutor>()
                .ExecuteNonQueryAsync(commands, connection, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbException)
        {
            if ((await MissingTablesAsync(database, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                return false; // another node created them first
            }

            throw;
        }
    }

    private static async Task<List<Type>> MissingTablesAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        var context = database.GetService<ICurrentDbContext>().Context;
        var missing = new List<Type>();
        if (!await TableExistsAsync(database, context.Set<ApiTokenEntity>(), cancellationToken).ConfigureAwait(false))
        {
            missing.Add(typeof(ApiTokenEntity));
        }

        if (context.Model.FindEntityType(typeof(ApiTokenAuditEntity)) is not null
            && !await TableExistsAsync(database, context.Set<ApiTokenAuditEntity>(), cancellationToken).ConfigureAwait(false))
        {
            missing.Add(typeof(ApiTokenAuditEntity));
        }

        return missing;
    }

    private static async Task<bool> TableExistsAsync<TEntity>(DatabaseFacade database, DbSet<TEntity> table, CancellationToken cancellationToken)
        where TEntity : class
    {
        if (await AskTheCatalogAsync(database, table.EntityType, cancellationToken).ConfigureAwait(false) is { } known)
        {
            return known;
        }

        try
        {
            // Any(): a query that needs the table but no row order (Take(1) would log EF warning 10102 at every start), and names
            // no column, so a table that lacks a newer column still counts as there.
            await table.AnyAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbException)
        {
            // A missing table, as long as the database itself answers; otherwise the fault is the caller's to see.
            if (await database.CanConnectAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            throw;
        }
    }

    /// <summary>
    /// Whether the table exists, asked of the catalog of SQLite or PostgreSQL, so that a missing table (a new database,
    /// or the audit table on a database made by an earlier version) is not a failed query that EF Core logs at Error level;
    /// <see langword="null"/> for another provider, which is probed with a query instead.
    /// </summary>
    private static async Task<bool?> AskTheCatalogAsync(DatabaseFacade database, IEntityType entityType, CancellationToken cancellationToken)
    {
        var schema = entityType.GetSchema();
        var sql = database.ProviderName switch
        {
            "Microsoft.EntityFrameworkCore.Sqlite" => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table",
            "Npgsql.EntityFrameworkCore.PostgreSQL" => "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = @table AND schemaname = "
                + (schema is null ? "current_schema()" : "@schema"),
            _ => null,
        };
        if (sql is null)
        {
            return null;
        }

        await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var command = database.GetDbConnection().CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = sql;
                command.Transaction = database.CurrentTransaction?.GetDbTransaction();
                AddParameter(command, "@table", entityType.GetTableName()!);
                if (schema is not null)
                {
                    AddParameter(command, "@schema", schema);
                }

                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
            }
        }
        finally
        {
            await database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static void AddParameter(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = System.Data.DbType.String;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static IReadOnlyList<MigrationCommand> CreateCommands(DatabaseFacade database, IReadOnlyCollection<Type> types)
    {
        var model = database.GetService<IDesignTimeModel>().Model;
        if (model.FindEntityType(typeof(ApiTokenEntity)) is null)
        {
            throw new InvalidOperationException(
                "The DbContext has no API token table. Call modelBuilder.AddApiTokens() in its OnModelCreating.");
        }

        var tables = types
            .Select(t => model.FindEntityType(t))
            .OfType<IEntityType>()
            .Select(e => (Name: e.GetTableName(), Schema: e.GetSchema()))
            .ToList();
        var operations = database.GetService<IMigrationsModelDiffer>()
            .GetDifferences(null, model.GetRelationalModel())
            .Where(op => op switch
            {
                EnsureSchemaOperation s => tables.Exists(t => t.Schema == s.Name),
                CreateTableOperation t => tables.Contains((t.Name, t.Schema)),
                CreateIndexOperation i => tables.Contains((i.Table, i.Schema)),
                _ => false,
            })
            .ToList();
        return database.GetService<IMigrationsSqlGenerator>().Generate(operations, model, MigrationsSqlGenerationOptions.Default);
    }
}
