using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>A relational database behind the ready <see cref="ApiTokensDbContext"/>.</summary>
public abstract class EfHarness : StoreHarness
{
    public override void AddStore(ApiTokensBuilder builder)
    {
        EnsureAvailable();
        builder.AddEntityFrameworkStore(Configure);
    }

    /// <summary>A new context on the database; <paramref name="configure"/> adds to its options (a logger, an interceptor).</summary>
    public ApiTokensDbContext CreateContext(Action<DbContextOptionsBuilder>? configure = null)
    {
        EnsureAvailable();
        var options = new DbContextOptionsBuilder<ApiTokensDbContext>();
        Configure(options);
        configure?.Invoke(options);
        return new ApiTokensDbContext(options.Options);
    }

    public override async Task<IReadOnlyList<string>> ReadRawRowsAsync(string accountId)
    {
        await using var context = CreateContext();
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM api_tokens WHERE account_id = @account";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@account";
        parameter.Value = accountId;
        command.Parameters.Add(parameter);
        var rows = new List<string>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var columns = new string[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                columns[i] = $"{reader.GetName(i)}={reader.GetValue(i)}";
            }

            rows.Add(string.Join("|", columns));
        }

        return rows;
    }

    protected abstract void Configure(DbContextOptionsBuilder options);

    protected override (IApiTokenStore Store, IAsyncDisposable? Owner) NewStore()
    {
        var context = CreateContext();
        return (new EntityFrameworkApiTokenStore<ApiTokensDbContext>(context), context);
    }

    protected override (IApiTokenAuditStore Store, IAsyncDisposable? Owner) NewAuditStore()
    {
        var context = CreateContext();
        return (new EntityFrameworkApiTokenAuditStore<ApiTokensDbContext>(context), context);
    }
}
