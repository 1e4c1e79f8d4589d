namespace ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>The app's own entity, next to the tokens.</summary>
public sealed class Widget
{
    public int Id { get; set; }

    public string Label { get; set; } = string.Empty;
}
