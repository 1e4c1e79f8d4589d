namespace ApiTokens.Whm;

/// <summary>
/// How a WHM function answers a call that names no <c>api.version</c>: WHM API 0, which older clients read. The <c>data</c>
/// members the function writes are the same for both versions; the shape decides what wraps them. A call with
/// <c>api.version=1</c> always gets the API 1 envelope.
/// </summary>
public enum WhmApi0Shape
{
    /// <summary>
    /// The function has no API 0 form and answers the API 1 envelope either way (WHM's <c>api_token_*</c> functions, which exist
    /// only in API 1).
    /// </summary>
    None = 0,

    /// <summary>
    /// The <c>data</c> members alone: <c>version</c> answers <c>{"version":"11.126.0.5"}</c>. A failure is
    /// <c>{"status":0,"statusmsg":"…"}</c>.
    /// </summary>
    Data = 1,

    /// <summary>
    /// The <c>data</c> members, then <c>status</c> and <c>statusmsg</c>: <c>listaccts</c> answers
    /// <c>{"acct":[…],"status":1,"statusmsg":"Ok"}</c>. A failure is <c>{"status":0,"statusmsg":"…"}</c>.
    /// </summary>
    Status = 2,

    /// <summary>
    /// One result entry: <c>createacct</c>, <c>suspendacct</c>, <c>removeacct</c>… answer
    /// <c>{"result":[{"status":1,"statusmsg":"…",…}]}</c>, the <c>data</c> members inside the entry.
    /// </summary>
    ResultList = 3,
}
