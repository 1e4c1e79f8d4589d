using System.Data.Common;
using ApiTokens.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;

namespace Microsoft.EntityFrameworkCore;

/// <summary>
/// Creates the API token table without the EF Core command-line tools, in any context whose model
/// calls <c>modelBuilder.AddApiTokens()</c>, on whatever provider the context uses.
/// </summary>
public static class ApiTokensDatabaseFacadeExtensions
{
    /// <summary>
    /// The DDL that creates the API token table and its unique indexes (and its schema, if it has one)
    /// for this context's provider: review it, or apply it with your own migration tooling.
    /// </summary>
    public static string GenerateApiTokensCreateScript(this DatabaseFacade database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return string.Concat(CreateCommands(database).Select(c => c.CommandText));
    }

    /// <summary>
    /// Creates the API token table and its unique indexes if the table does not exist yet, in one
    /// transaction; leaves every other table alone (unlike <see cref="DatabaseFacade.EnsureCreatedAsync(CancellationToken)"/>,
    /// which does nothing when the database already has tables). Safe when several nodes start at once.
    /// Call it at start-up, outside a transaction. Returns whether it created the table.
    /// </summary>
    public static async Task<bool> EnsureApiTokensCreatedAsync(this DatabaseFacade database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (await TableExistsAsync(database, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var commands = CreateCommands(database);
        var connection = database.GetService<IRelationalConnection>();
        try
        {
            await database.GetService<IMigrationCommandExecutor>()
                .ExecuteNonQueryAsync(commands, connection, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbException)
        {
            if (await TableExistsAsync(database, cancellationToken).ConfigureAwait(false))
            {
                return false; // another node created it first
            }

            throw;
        }
    }

    private static async Task<bool> TableExistsAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        var context = database.GetService<ICurrentDbContext>().Context;
        try
        {
            // Any(): a query that needs the table but no row order (Take(1) would log EF warning 10102 at every start).
            await context.Set<ApiTokenEntity>().AnyAsync(cancellationToken).ConfigureAwait(false);
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

    private static IReadOnlyList<MigrationCommand> CreateCommands(DatabaseFacade database)
    {
        var model = database.GetService<IDesignTimeModel>().Model;
        var entityType = model.FindEntityType(typeof(ApiTokenEntity))
            ?? throw new InvalidOperationException(
                "The DbContext has no API token table. Call modelBuilder.AddApiTokens() in its OnModelCreating.");
        var table = entityType.GetTableName();
        var schema = entityType.GetSchema();
        var operations = database.GetService<IMigrationsModelDiffer>()
            .GetDifferences(null, model.GetRelationalModel())
            .Where(op => op switch
            {
                EnsureSchemaOperation s => s.Name == schema,
                CreateTableOperation t => t.Name == table && t.Schema == schema,
                CreateIndexOperation i => i.Table == table && i.Schema == schema,
                _ => false,
            })
            .ToList();
        return database.GetService<IMigrationsSqlGenerator>().Generate(operations, model, MigrationsSqlGenerationOptions.Default);
    }
}
