namespace ApiTokens;
