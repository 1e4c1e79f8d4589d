using System.Reflection;

namespace ApiTokens.Page.Tests.Infrastructure;

/// <summary>
/// A switch in front of the host's token store: while <see cref="Down"/> is set every store call throws a
/// <see cref="TimeoutException"/>, as a database that cannot be reached does.
/// </summary>
public sealed class StoreOutage
{
    public bool Down { get; set; }

    /// <summary>Wraps the registered store (use with <c>WrapStore((_, inner) =&gt; outage.Wrap(inner))</c>).</summary>
    public IApiTokenStore Wrap(IApiTokenStore inner)
    {
        var proxy = DispatchProxy.Create<IApiTokenStore, Proxy>();
        ((Proxy)(object)proxy).Init(inner, this);
        return proxy;
    }

    public class Proxy : DispatchProxy
    {
        private IApiTokenStore _inner = null!;
        private StoreOutage _outage = null!;

        internal void Init(IApiTokenStore inner, StoreOutage outage)
        {
            _inner = inner;
            _outage = outage;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (_outage.Down)
            {
                throw new TimeoutException("The test store is down.");
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
