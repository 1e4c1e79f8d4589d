using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ApiTokens.EntityFrameworkCore;

/// <summary>
/// Tells a unique-key violation on the token table apart from other database errors, without a
/// reference to any provider: PostgreSQL reports SqlState 23505 with the index as constraint name,
/// SQLite reports error 19/2067 as <c>UNIQUE constraint failed: api_tokens.account_id, api_tokens.name</c>
/// (the previous-selector index counts as the selector's),
/// and SQL Server and MySQL name the index in their message.
/// </summary>
internal sealed class UniqueKeyViolation
{
    private const string PostgresUniqueViolation = "23505";
    private const string SqliteUniqueFailed = "UNIQUE constraint failed: ";
    private const string AnnotationName = "ApiTokens:UniqueKeyViolation";

    private readonly (string Index, UniqueKey Key)[] _indexes;
    private readonly string _nameColumn;
    private readonly string _selectorColumn;
    private readonly string _previousSelectorColumn;

    private UniqueKeyViolation(IModel model)
    {
        var entityType = model.FindEntityType(typeof(ApiTokenEntity))
            ?? throw new InvalidOperationException(
                "The DbContext has no API token table. Call modelBuilder.AddApiTokens() in its OnModelCreating.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        string IndexName(string property) =>
            entityType.GetIndexes().Single(i => i.IsUnique && i.Properties.Count == 2 && i.Properties.Any(p => p.Name == property))
                .GetDatabaseName(table) ?? string.Empty;
        string ColumnName(string property) =>
            $"{table.Name}.{entityType.FindProperty(property)!.GetColumnName(table)}";

        // Longest name first, so one name containing another cannot mislead.
        _indexes = new[]
            {
                (IndexName(nameof(ApiTokenEntity.Name)), UniqueKey.Name),
                (IndexName(nameof(ApiTokenEntity.Selector)), UniqueKey.Selector),
                (IndexName(nameof(ApiTokenEntity.PreviousSelector)), UniqueKey.Selector),
            }
            .Where(i => i.Item1.Length > 0)
            .OrderByDescending(i => i.Item1.Length)
            .ToArray();
        _nameColumn = ColumnName(nameof(ApiTokenEntity.Name));
        _selectorColumn = ColumnName(nameof(ApiTokenEntity.Selector));
        _previousSelectorColumn = ColumnName(nameof(ApiTokenEntity.PreviousSelector));
    }

    /// <summary>The classifier for <paramref name="model"/> (built once per model).</summary>
    public static UniqueKeyViolation For(IModel model) =>
        model.GetOrAddRuntimeAnnotationValue(AnnotationName, static m => new UniqueKeyViolation(m!), model);

    /// <summary>Which of the token table's unique keys <paramref name="exception"/> reports, if any.</summary>
    public UniqueKey Classify(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is DbException db && Classify(db) is var key and not UniqueKey.None)
            {
                return key;
            }
        }

        return UniqueKey.None;
    }

    private UniqueKey Classify(DbException db)
    {
        var message = db.Message;
        if (db.SqlState == PostgresUniqueViolation
            && db.GetType().GetProperty("ConstraintName")?.GetValue(db) is string constraint)
        {
            return ByIndexName(constraint);
        }

        var at = message.IndexOf(SqliteUniqueFailed, StringComparison.Ordinal);
        if (at >= 0)
        {
            var columns = message[(at + SqliteUniqueFailed.Length)..].TrimEnd('.', '\'', ' ', '\r', '\n')
                .Split(", ", StringSplitOptions.TrimEntries);
            return columns.Contains(_nameColumn, StringComparer.Ordinal) ? UniqueKey.Name
                : columns.Contains(_selectorColumn, StringComparer.Ordinal) || columns.Contains(_previousSelectorColumn, StringComparer.Ordinal)
                    ? UniqueKey.Selector
                : UniqueKey.None;
        }

        return ByIndexName(message);
    }

    private UniqueKey ByIndexName(string text)
    {
        foreach (var (index, key) in _indexes)
        {
            if (text.Contains(index, StringComparison.Ordinal))
            {
                return key;
            }
        }

        return UniqueKey.None;
    }
}
