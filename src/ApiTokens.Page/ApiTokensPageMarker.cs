namespace ApiTokens.Page;

/// <summary>Registered by <c>AddPage</c> so <c>MapApiTokensPage</c> can tell it was called.</summary>
internal sealed class ApiTokensPageMarker;
