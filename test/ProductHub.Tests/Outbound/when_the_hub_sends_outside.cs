using System.Net;
using System.Net.Http.Json;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Hub;
using ProductHub.Hub.Outbound;
using ProductHub.Hub.Security;
using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Outbound;

/// <summary>
/// The outbound policy: URLs an admin configures cannot point the hub at link-local or metadata addresses, its own
/// database, or (see <see cref="when_the_shipped_hub_sends_outside"/>) its own ports; redirects are not followed;
/// what a remote system answers is kept short and clean, and shown to admins only.
/// </summary>
public sealed class when_the_hub_sends_outside(HubFixture fixture, ITestOutputHelper output) : TestErpScenario(fixture)
{
    private static readonly string Auditor = TestTokens.For("audrey", [Roles.Auditor]);

    private static int DatabasePort =>
        new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable($"ConnectionStrings__{HubHost.ConnectionStringName}")).Port;

    private Task<Answer> Instance(string name, string url) =>
        Api.Send("PUT", $"/api/v1/erp-instances/{name}", new { channel = "http", http = new { url, timeoutSeconds = 2 }, retry = new { maxAttempts = 1 } });

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/")]
    [InlineData("http://[fe80::1]/items")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://0.0.0.0:8080/")]
    [InlineData("http://127.0.0.1:{database}/")]
    [InlineData("http://localhost:{database}/")]
    [InlineData("file:///etc/passwd")]
    public async Task a_url_the_hub_never_sends_to_is_refused_when_configured_and_nothing_is_stored(string url)
    {
        url = url.Replace("{database}", DatabasePort.ToString());

        var instance = await Instance("erp-x", url);
        var webhook = await Api.Send("PUT", "/api/v1/webhooks/hook-x", new { url });

        instance.Status.ShouldBe(400, instance.ToString());
        instance.ErrorFields.ShouldContain("$.http.url");
        webhook.Status.ShouldBe(400, webhook.ToString());
        webhook.ErrorFields.ShouldContain("$.url");
        (await Api.Get("/api/v1/erp-instances/erp-x")).Status.ShouldBe(404);
        (await Api.Get("/api/v1/webhooks/hook-x")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_loopback_erp_on_another_port_is_allowed_by_default()
    {
        (await Instance("erp-loopback", Erp.Url)).Status.ShouldBe(201);
    }

    [Fact]
    public async Task a_redirect_is_a_failure_and_is_not_followed()
    {
        await using var elsewhere = await TestErp.StartAsync();
        Erp.RedirectTo = elsewhere.Url;

        var delivery = await DeadLetteredDelivery();

        delivery["lastError"]!.GetValue<string>().ShouldStartWith("HTTP 302");
        Erp.Requests.ShouldNotBeEmpty();
        elsewhere.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_long_error_body_with_control_characters_is_kept_short_and_clean_and_shown_to_admins_only()
    {
        var body = "\u001b[31mstack trace\r\n\tat Secret.Internal()\0" + new string('x', 10_000) + "\u0007";
        Erp.Garbage = (500, body);
        (await Api.Send("PUT", "/api/v1/webhooks/downstream", new { url = Erp.Url, start = "beginning", retry = new { maxAttempts = 1 } }))
            .Status.ShouldBe(200);

        var delivery = await DeadLetteredDelivery();
        var id = delivery["deliveryId"]!.GetValue<string>();

        var stored = await StoredErrors(id);
        stored.ShouldNotBeEmpty();
        stored.ShouldAllBe(e => e.Length <= RemoteAnswer.Limit + 20 && !e.Any(char.IsControl) && e.StartsWith("HTTP 500: "));
        stored[0].ShouldContain("stack trace");
        var asAdmin = (await Api.Get($"/api/v1/deliveries/{id}")).Json["lastError"]!.GetValue<string>();
        asAdmin.ShouldBe(stored[^1]);
        var asAuditor = (await Api.As(Auditor).Get($"/api/v1/deliveries/{id}")).Json["lastError"]!.GetValue<string>();
        asAuditor.ShouldBe("HTTP 500 (the answer is shown to admins only)");
        output.WriteLine($"an error body of {body.Length} characters, {body.Count(char.IsControl)} of them control characters, is stored as {stored[^1].Length}, none a control character");
        (await Api.As(Auditor).Get("/api/v1/deliveries")).Text.ShouldNotContain("stack trace");
        var webhook = await Wait.Until(async () =>
            (await Api.Get("/api/v1/webhooks/downstream")).Json is var w && w["deadLetters"]!.AsArray().Count > 0 ? w : null, "the webhook batch to fail");
        webhook["deadLetters"]![0]!["error"]!.GetValue<string>().ShouldContain("stack trace");
        (await Api.As(Auditor).Get("/api/v1/webhooks/downstream")).Text.ShouldNotContain("stack trace");
    }

    private async Task<System.Text.Json.Nodes.JsonNode> DeadLetteredDelivery()
    {
        await Api.Release(Release());
        (await Instance("erp-out", Erp.Url)).Status.ShouldBe(201);
        await Api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-out" });
        await Api.Settled(api => api.Assign("P1", "CASTING"));
        return await Wait.Until(async () =>
            (await Api.Get("/api/v1/deliveries?instance=erp-out&status=deadLettered")).Items.FirstOrDefault(), "the delivery to fail");
    }

    private async Task<List<string>> StoredErrors(string deliveryId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.FetchStreamAsync(ErpStreams.Delivery(deliveryId)))
            .Select(e => e.Data).OfType<DeliveryFailed>().Select(f => f.Error).ToList();
    }
}

/// <summary>The connection itself: the address a name resolves to when the hub connects is the one checked.</summary>
public sealed class when_a_name_resolves_somewhere_else : IAsyncLifetime
{
    private TestErp _erp = null!;

    public async Task InitializeAsync() => _erp = await TestErp.StartAsync();

    public async Task DisposeAsync() => await _erp.DisposeAsync();

    private static OutboundPolicy Policy(Func<string, CancellationToken, Task<IPAddress[]>> resolve, params (string, string)[] settings) => new(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Item1, (string?)s.Item2))).Build(),
        () => [], "Host=127.0.0.1;Port=1", resolve);

    /// <summary>The test ERP's URL under another host name, which only the policy's resolver knows.</summary>
    private string UrlAt(string host) => new UriBuilder(_erp.Url) { Host = host }.Uri.ToString();

    private static async Task<HttpResponseMessage> PostAsync(OutboundPolicy policy, string url)
    {
        using var client = new HttpClient(OutboundHttp.Handler(policy));
        return await client.PostAsync(url, new StringContent("{}"));
    }

    [Fact]
    public async Task a_name_that_resolves_to_a_refused_address_on_connecting_is_refused_though_it_passed_when_configured()
    {
        var lookups = 0;
        // DNS rebinding: a harmless address while the URL is checked, the metadata service's when the hub connects.
        var policy = Policy((_, _) => Task.FromResult(Interlocked.Increment(ref lookups) == 1
            ? new[] { IPAddress.Loopback }
            : [IPAddress.Parse("169.254.169.254")]));
        var url = UrlAt("erp.rebinding.test");

        (await policy.RefusalAsync(url, default)).ShouldBeNull();
        var refused = await Should.ThrowAsync<HttpRequestException>(() => PostAsync(policy, url));

        refused.Message.ShouldContain("refused by the outbound policy");
        refused.Message.ShouldContain("169.254.169.254");
        _erp.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task of_a_name_with_several_addresses_only_an_allowed_one_is_connected_to()
    {
        var policy = Policy((_, _) => Task.FromResult(new[] { IPAddress.Parse("169.254.169.254"), IPAddress.Loopback }));

        using var answer = await PostAsync(policy, UrlAt("erp.two-faced.test"));

        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        _erp.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_locked_down_policy_allows_only_the_hosts_and_networks_it_names()
    {
        var loopback = (Func<string, CancellationToken, Task<IPAddress[]>>)((_, _) => Task.FromResult(new[] { IPAddress.Loopback }));
        var byName = Policy(loopback, ("AllowedHosts", "erp.allowed.test, *.corp.test"));
        var byNetwork = Policy(loopback, ("AllowedNetworks", "10.0.0.0/8"));

        (await byName.RefusalAsync(UrlAt("erp.allowed.test"), default)).ShouldBeNull();
        (await byName.RefusalAsync(UrlAt("sap.plant.corp.test"), default)).ShouldBeNull();
        (await byName.RefusalAsync(UrlAt("elsewhere.test"), default)).ShouldNotBeNull();
        (await PostAsync(byName, UrlAt("erp.allowed.test"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Should.ThrowAsync<HttpRequestException>(() => PostAsync(byName, UrlAt("elsewhere.test")));
        (await byNetwork.RefusalAsync("http://10.1.2.3/items", default)).ShouldBeNull();
        (await byNetwork.RefusalAsync(_erp.Url, default)).ShouldNotBeNull();
        await Should.ThrowAsync<HttpRequestException>(() => PostAsync(byNetwork, _erp.Url));
    }

    [Fact]
    public async Task the_proxy_is_a_setting_and_requests_go_through_it_when_set()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        var policy = Policy((_, _) => Task.FromResult(new[] { IPAddress.Loopback }), ("Proxy", proxy.Url));

        using var answer = await PostAsync(policy, "http://erp.behind-proxy.test/items");

        answer.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        proxy.RequestLines.ShouldBe(["POST http://erp.behind-proxy.test/items HTTP/1.1"]);
    }
}

/// <summary>The Release build as a process, as <c>scripts/run-hub.sh</c> starts it, with an operator's proxy variables set.</summary>
public sealed class when_the_shipped_hub_sends_outside(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task it_refuses_its_own_port_and_sends_directly_though_http_proxy_is_set()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var erp = await TestErp.StartAsync();
        await using var hub = await Faults.HubProcess.StartAsync(await OwnDatabase.CreateAsync(), new Dictionary<string, string>
        {
            ["HTTP_PROXY"] = proxy.Url, ["http_proxy"] = proxy.Url, ["HTTPS_PROXY"] = proxy.Url, ["ALL_PROXY"] = proxy.Url,
        });
        var port = new Uri(hub.Url).Port;

        foreach (var url in new[] { $"http://127.0.0.1:{port}/api/v1/releases", $"http://localhost:{port}/api/v1/releases" })
        {
            var refused = await hub.Client.PutAsJsonAsync("/api/v1/erp-instances/erp-self", new { channel = "http", http = new { url } });
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, url);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("\"$.http.url\"");
        }
        (await hub.Client.PostAsJsonAsync("/api/v1/releases", Release())).EnsureSuccessStatusCode();
        (await hub.Client.PutAsJsonAsync("/api/v1/erp-instances/erp-direct", new { channel = "http", http = new { url = erp.Url } }))
            .EnsureSuccessStatusCode();
        (await hub.Client.PutAsJsonAsync("/api/v1/plants/P1", new { name = "Plant", erpInstance = "erp-direct" })).EnsureSuccessStatusCode();
        (await hub.Client.PutAsync("/api/v1/plants/P1/parts/CASTING", null)).EnsureSuccessStatusCode();

        await Wait.Until(() => Task.FromResult(erp.Accepted.IsEmpty ? null : ""), "the delivery to reach the ERP", seconds: 60);
        proxy.RequestLines.ShouldBeEmpty();
    }
}

/// <summary>An HTTP proxy that records the request line of each request it gets and answers 502 to all.</summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    private readonly System.Net.Sockets.TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    public System.Collections.Concurrent.ConcurrentQueue<string> RequestLines { get; } = new();

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public static Task<RecordingProxy> StartAsync()
    {
        var proxy = new RecordingProxy();
        proxy._listener.Start();
        proxy._accepting = proxy.AcceptAsync();
        return Task.FromResult(proxy);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, leaveOpen: true);
            RequestLines.Enqueue(await reader.ReadLineAsync(_stop.Token) ?? "");
            while (await reader.ReadLineAsync(_stop.Token) is { Length: > 0 }) { /* the headers */ }
            await stream.WriteAsync("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accepting; }
        catch (Exception e) when (e is OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException) { /* stopped */ }
    }
}
