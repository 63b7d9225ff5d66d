using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ProductHub.Hub.Outbound;

/// <summary>
/// The HTTP client every outbound request goes through (named <c>erp</c>: ERP instances, webhooks, change order steps),
/// held to the <see cref="OutboundPolicy"/>: each URL before it is sent, and each address when the connection is made,
/// after DNS, so a name that resolves elsewhere by then (DNS rebinding) is still refused. Redirects are answers, not
/// followed: a redirect would lead past the checks to wherever the remote side likes.
/// </summary>
public static class OutboundHttp
{
    public const string ClientName = "erp";

    public static IServiceCollection AddOutboundHttp(this IServiceCollection services, IConfiguration configuration, string databaseConnectionString)
    {
        services.AddSingleton(sp => new OutboundPolicy(configuration.GetSection("ProductHub:Outbound"), OwnPorts(sp), databaseConnectionString));
        services.AddHttpClient(ClientName).ConfigurePrimaryHttpMessageHandler(sp => Handler(sp.GetRequiredService<OutboundPolicy>()));
        services.AddSingleton<Connectors>();
        return services;
    }

    public static HttpMessageHandler Handler(OutboundPolicy policy) => new UrlCheck(policy)
    {
        InnerHandler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // The proxy is a setting: HTTP_PROXY in the hub's environment (set for something else) is not followed.
            UseProxy = policy.Proxy is not null,
            Proxy = policy.Proxy is { } proxy ? new WebProxy(proxy) : null,
            ConnectCallback = (context, ct) => ConnectAsync(policy, context.DnsEndPoint, ct),
        },
    };

    private static async ValueTask<Stream> ConnectAsync(OutboundPolicy policy, DnsEndPoint endpoint, CancellationToken ct)
    {
        // The configured proxy is the operator's own choice; behind it, the URL check above is what holds.
        var toProxy = policy.Proxy is { } proxy && string.Equals(proxy.IdnHost, endpoint.Host, StringComparison.OrdinalIgnoreCase) && proxy.Port == endpoint.Port;
        var (allowed, refusal) = toProxy
            ? (await Dns.GetHostAddressesAsync(endpoint.Host, ct), null)
            : await policy.AddressesAsync(endpoint.Host, endpoint.Port, ct);
        if (refusal is not null) throw new HttpRequestException($"refused by the outbound policy: {refusal}");

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Func<IReadOnlyCollection<int>> OwnPorts(IServiceProvider services) => () =>
        services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(a => BindingAddress.Parse(a).Port).ToHashSet() ?? [];

    /// <summary>Each request's URL as written, before any connection: with a proxy, the only check the hub itself can make.</summary>
    private sealed class UrlCheck(OutboundPolicy policy) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            policy.RefusalAsWritten(request.RequestUri!) is { } refusal
                ? throw new HttpRequestException($"refused by the outbound policy: {refusal}")
                : base.SendAsync(request, ct);
    }
}
