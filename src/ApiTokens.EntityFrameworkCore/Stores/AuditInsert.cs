using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ApiTokens.EntityFrameworkCore;

/// <summary>
/// The <c>INSERT</c> of one audit row, built once per model from its mapping (table, schema and column names, quoted as the
/// provider quotes them), with one parameter per column. The audit store runs it as a plain command rather than through the change
/// tracker, so appending an event never saves another pending change of a shared context.
/// </summary>
internal sealed class AuditInsert
{
    private const string AnnotationName = "ApiTokens:AuditInsert";

    private static readonly string[] Columns =
    [
        nameof(ApiTokenAuditEntity.AccountId),
        nameof(ApiTokenAuditEntity.UserName),
        nameof(ApiTokenAuditEntity.TokenName),
        nameof(ApiTokenAuditEntity.NewTokenName),
        nameof(ApiTokenAuditEntity.Action),
        nameof(ApiTokenAuditEntity.Time),
        nameof(ApiTokenAuditEntity.Actor),
        nameof(ApiTokenAuditEntity.RemoteAddress),
        nameof(ApiTokenAuditEntity.ChangedFields),
        nameof(ApiTokenAuditEntity.ExpiresAt),
    ];

    private AuditInsert(IModel model, ISqlGenerationHelper sql)
    {
        var entityType = model.FindEntityType(typeof(ApiTokenAuditEntity))
            ?? throw new InvalidOperationException(
                "The DbContext has no API token audit table. Call modelBuilder.AddApiTokens() in its OnModelCreating.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = Columns.Select(p => Escape(sql.DelimitIdentifier(entityType.FindProperty(p)!.GetColumnName(table)!)));
        var values = Columns.Select((_, i) => ParameterName(i));
        Sql = $"INSERT INTO {Escape(sql.DelimitIdentifier(table.Name, table.Schema))} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", values)})";
    }

    /// <summary>The statement, with the parameters <c>@p0</c> … <c>@p9</c> for the values.</summary>
    public string Sql { get; }

    /// <summary>The statement for <paramref name="context"/>'s model (built once per model).</summary>
    public static AuditInsert For(DbContext context) =>
        context.Model.GetOrAddRuntimeAnnotationValue(
            AnnotationName,
            static c => new AuditInsert(c!.Model, c.GetService<ISqlGenerationHelper>()),
            context);

    /// <summary>
    /// The parameters for <paramref name="row"/>, in the statement's order, made by the context's connection (which they are not
    /// bound to until the statement runs); a missing value is <see cref="DBNull"/>.
    /// </summary>
    public static DbParameter[] Parameters(DbContext context, ApiTokenAuditEntity row)
    {
        object?[] values =
        [
            row.AccountId, row.UserName, row.TokenName, row.NewTokenName, row.Action, row.Time, row.Actor, row.RemoteAddress,
            row.ChangedFields, row.ExpiresAt,
        ];
        using var command = context.Database.GetDbConnection().CreateCommand();
        var parameters = new DbParameter[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = ParameterName(i);
            parameter.DbType = Columns[i] is nameof(ApiTokenAuditEntity.Time) or nameof(ApiTokenAuditEntity.ExpiresAt) ? DbType.Int64 : DbType.String;
            parameter.Value = values[i] ?? DBNull.Value;
            parameters[i] = parameter;
        }

        return parameters;
    }

    private static string ParameterName(int index) => "@p" + index.ToString(CultureInfo.InvariantCulture);

    // ExecuteSqlRaw formats the statement (braces are placeholders): a name that holds one (a schema chosen by the app) doubles it.
    private static string Escape(string identifier) => identifier.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
}
