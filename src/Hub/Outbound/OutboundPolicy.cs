using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Npgsql;

namespace ProductHub.Hub.Outbound;

/// <summary>
/// Where the hub may send HTTP requests (ERP instances, webhooks, change order steps): the URLs come from callers
/// with the admin role, but a URL must not turn the hub into a way into what only the hub can reach. Never: link-local
/// and cloud metadata addresses, "this network", multicast, the hub's own listening ports on this machine, the hub's
/// database. Everything else, loopback and private networks included, unless <c>ProductHub:Outbound:AllowedHosts</c>
/// or <c>AllowedNetworks</c> is set: then only those. <c>DeniedNetworks</c> refuses more.
/// </summary>
public sealed class OutboundPolicy
{
    /// <summary>Addresses no ERP or subscriber lives at, and where clouds answer with their instances' credentials.</summary>
    public static readonly IPNetwork[] AlwaysRefused =
    [
        IPNetwork.Parse("169.254.0.0/16"),   // IPv4 link-local: AWS, GCP, Azure, OpenStack metadata at 169.254.169.254
        IPNetwork.Parse("fe80::/10"),        // IPv6 link-local
        IPNetwork.Parse("fd00:ec2::254/128"), // AWS metadata over IPv6
        IPNetwork.Parse("100.100.100.200/32"), // Alibaba Cloud metadata
        IPNetwork.Parse("168.63.129.16/32"), // Azure wire server
        IPNetwork.Parse("0.0.0.0/8"),        // "this network": Linux connects 0.0.0.0 to this machine
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("ff00::/8"),
        IPNetwork.Parse("255.255.255.255/32"),
    ];

    /// <summary>How long configuring a URL waits for DNS; a name not resolved by then is checked on connecting only.</summary>
    private static readonly TimeSpan ConfigureTimeLookup = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<string> _allowedHosts;
    private readonly IReadOnlyList<IPNetwork> _allowedNetworks;
    private readonly IReadOnlyList<IPNetwork> _refused;
    private readonly Func<IReadOnlyCollection<int>> _ownPorts;
    private readonly (IReadOnlySet<IPAddress> Hosts, int Port) _database;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly Lazy<IReadOnlySet<IPAddress>> _thisMachine = new(ThisMachine);

    /// <param name="ownPorts">The ports the hub listens on, asked each time (they are known only once the server runs).</param>
    /// <param name="resolve">DNS; a test passes its own to play a name that resolves differently from one moment to the next.</param>
    public OutboundPolicy(IConfiguration settings, Func<IReadOnlyCollection<int>> ownPorts, string databaseConnectionString,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _allowedHosts = Values(settings, "AllowedHosts");
        _allowedNetworks = Values(settings, "AllowedNetworks").Select(IPNetwork.Parse).ToList();
        _refused = [.. AlwaysRefused, .. Values(settings, "DeniedNetworks").Select(IPNetwork.Parse)];
        _ownPorts = ownPorts;
        _database = Database(databaseConnectionString);
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
        Proxy = settings["Proxy"] is { Length: > 0 } proxy ? new Uri(proxy) : null;
    }

    /// <summary><c>ProductHub:Outbound:Proxy</c>: every request goes through it; none by default, and HTTP_PROXY is not read.</summary>
    public Uri? Proxy { get; }

    private bool LockedDown => _allowedHosts.Count > 0 || _allowedNetworks.Count > 0;

    /// <summary>Why the hub will not send to this URL, checked when it is configured: as written, and every address its host has now.</summary>
    public async Task<string?> RefusalAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return "must be an absolute http or https URL";
        if (RefusalAsWritten(uri) is { } refusal) return refusal;
        IPAddress[] addresses;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(ConfigureTimeLookup);
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, patience.Token);
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null; // not resolvable now (or not quickly): every connection checks the addresses it resolves then
        }
        return addresses.Select(a => Refusal(uri.IdnHost, a, uri.Port)).FirstOrDefault(r => r is not null);
    }

    /// <summary>What the URL alone tells, with no DNS: an address written into it, or a host outside the allowed names.</summary>
    public string? RefusalAsWritten(Uri uri)
    {
        if (IPAddress.TryParse(uri.IdnHost, out var address)) return Refusal(uri.IdnHost, address, uri.Port);
        return LockedDown && _allowedNetworks.Count == 0 && !HostAllowed(uri.IdnHost)
            ? $"{uri.IdnHost} is not among ProductHub:Outbound:AllowedHosts"
            : null;
    }

    /// <summary>Why the hub will not connect to this address for this host name; null when it may.</summary>
    public string? Refusal(string host, IPAddress address, int port)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (_refused.Where(n => n.Contains(address)).Select(n => n.ToString()).FirstOrDefault() is { } network)
            return $"{address} is in {network}, where the hub never sends (link-local, cloud metadata, ProductHub:Outbound:DeniedNetworks)";
        var local = IPAddress.IsLoopback(address) || _thisMachine.Value.Contains(address);
        if (local && _ownPorts().Contains(port)) return $"port {port} of this machine is the hub's own";
        if (port == _database.Port && (local || _database.Hosts.Contains(address))) return $"{address}:{port} is the hub's database";
        if (LockedDown && !HostAllowed(host) && !_allowedNetworks.Any(n => n.Contains(address)))
            return $"{host} ({address}) is not among ProductHub:Outbound:AllowedHosts or AllowedNetworks";
        return null;
    }

    /// <summary>The addresses of a host the hub may connect to, or why none.</summary>
    public async Task<(IPAddress[] Allowed, string? Refusal)> AddressesAsync(string host, int port, CancellationToken ct)
    {
        var addresses = await ResolveAsync(host, ct);
        var checks = addresses.Select(a => (Address: a, Refusal: Refusal(host, a, port))).ToList();
        var allowed = checks.Where(c => c.Refusal is null).Select(c => c.Address).ToArray();
        return (allowed, allowed.Length > 0 ? null : checks.Select(c => c.Refusal).FirstOrDefault() ?? $"{host} has no address");
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, ct);

    private bool HostAllowed(string host) => _allowedHosts.Any(allowed =>
        allowed.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(host, allowed, StringComparison.OrdinalIgnoreCase));

    /// <summary>A list setting as an array (<c>AllowedHosts:0</c>, ...) or one comma-separated value, as an environment variable is easiest to write.</summary>
    private static List<string> Values(IConfiguration settings, string name) =>
        settings.GetSection(name).GetChildren().Select(c => c.Value).Append(settings[name])
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct().ToList();

    private static (IReadOnlySet<IPAddress>, int) Database(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var hosts = (builder.Host ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(h => !h.StartsWith('/')) // a Unix socket folder: on this machine, covered as a local address
            .SelectMany(h => h.Split(':')[0] is var name && IPAddress.TryParse(name, out var address) ? [address] : TryResolve(name))
            .ToHashSet();
        return (hosts, builder.Port);
    }

    private static IPAddress[] TryResolve(string host)
    {
        try { return Dns.GetHostAddresses(host); }
        catch (SocketException) { return []; }
    }

    private static IReadOnlySet<IPAddress> ThisMachine() => NetworkInterface.GetAllNetworkInterfaces()
        .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address).ToHashSet();
}
