using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Webhooks;
using ProductHub.Hub.Security;
using ProductHub.Hub.Security.Secrets;
using ProductHub.Hub.Webhooks;
using ProductHub.Tests.Faults;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.LegacyHub;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Security;

/// <summary>
/// Deployments that configured auth headers before the secret store have them in plain text in their events and
/// snapshots. After the upgrade no reader sees them, the database no longer holds them, and deliveries still
/// authenticate with them.
/// </summary>
public sealed class when_a_hub_with_secrets_in_its_events_is_upgraded(HubFixture fixture) : TestErpScenario(fixture)
{
    private readonly string _marker = Guid.NewGuid().ToString("N");
    private static readonly string Auditor = TestTokens.For("audrey", [Roles.Auditor]);

    [Fact]
    public async Task the_secrets_move_into_the_store_leave_every_row_and_deliveries_and_webhooks_still_authenticate()
    {
        var (older, current, hook) = ($"Bearer OLDER-{_marker}", $"Bearer CURRENT-{_marker}", $"Bearer HOOK-{_marker}");
        var connectionString = await OwnDatabase.CreateAsync();
        await using (var legacy = On(connectionString))
        {
            await legacy.ConfigureAsync(Http("erp-old", Erp.Url, older));
            await legacy.ConfigureAsync(Http("erp-old", Erp.Url, current));
            await legacy.ConfigureAsync(Webhook("old-hook", Erp.Url, hook));
        }
        (await DatabaseSearch.TablesHoldingAsync(connectionString, _marker))
            .ShouldBe(["producthub.mt_doc_erpinstanceview", "producthub.mt_doc_webhookview", "producthub.mt_events"], ignoreOrder: true);

        await using var host = await OwnDatabase.HubAsync(connectionString);
        var api = new HubApi(host);

        (await DatabaseSearch.TablesHoldingAsync(connectionString, _marker)).ShouldBeEmpty();
        var instance = (await api.Get("/api/v1/erp-instances/erp-old")).Json;
        instance["hasAuthHeader"]!.GetValue<bool>().ShouldBeTrue();
        instance["authHeaderSecret"]!["source"]!.GetValue<string>().ShouldBe("stored");
        instance["mapping"]!["version"]!.GetValue<string>().ShouldBe("v1");
        (await api.Get("/api/v1/webhooks/old-hook")).Json["hasAuthHeader"]!.GetValue<bool>().ShouldBeTrue();

        (await api.Release(Release())).Status.ShouldBe(201);
        await api.ConfigurePlant("P100", new { name = "Stuttgart", erpInstance = "erp-old" });
        await api.Settled(a => a.Assign("P100", "HOUSING"));
        await Wait.Until(async () => (await api.Get("/api/v1/deliveries?status=acknowledged")).Items.Count == 3 ? "" : null, "three deliveries");
        await Wait.Until(() => Task.FromResult(Erp.Requests.Any(r => r.Body["events"] is not null) ? "" : null), "the webhook to push");

        Erp.Requests.Where(r => r.Body["events"] is null).ShouldAllBe(r => r.Authorization == current);
        Erp.Requests.Where(r => r.Body["events"] is not null).ShouldAllBe(r => r.Authorization == hook);
        var feed = (await api.As(Auditor).Get("/api/v1/feed?after=0&limit=1000")).Json;
        feed.ToJsonString().ShouldNotContain(_marker);
        Erp.Requests.ShouldAllBe(r => !r.Body.ToJsonString().Contains(_marker));
    }

    [Fact]
    public void the_secrets_are_moved_before_any_sender_starts()
    {
        var started = Host.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

        var moving = started.IndexOf(typeof(LegacySecrets));
        moving.ShouldBeGreaterThan(started.FindIndex(t => t.Name == "MartenActivator"), "after Marten has created its tables");
        moving.ShouldBeLessThan(started.FindIndex(t => t.Namespace?.StartsWith("Wolverine") == true), "before Wolverine runs handlers");
        moving.ShouldBeLessThan(started.IndexOf(typeof(WebhookPumps)));
    }

    [Fact]
    public async Task an_event_of_the_first_shape_is_read_redacted_by_every_reader()
    {
        // Appended behind the running hub's back, so nothing but the upcaster stands between a reader and the header.
        await using (var legacy = On(EventStore.ConnectionStringOf(Host)))
        {
            await legacy.ConfigureAsync(Http("erp-old", Erp.Url, $"Bearer {_marker}"), withSnapshot: false);
            await legacy.ConfigureAsync(Webhook("old-hook", Erp.Url, null));
        }

        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var instance = (await session.Events.FetchStreamAsync(ErpStreams.Instance("erp-old"))).Single().Data.ShouldBeOfType<ErpInstanceConfigured>();
        var webhook = (await session.Events.FetchStreamAsync(WebhookStreams.Webhook("old-hook"))).Single().Data.ShouldBeOfType<WebhookConfigured>();

        (await DatabaseSearch.TablesHoldingAsync(EventStore.ConnectionStringOf(Host), _marker)).ShouldBe(["producthub.mt_events"]);
        var json = Host.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var http = JsonSerializer.SerializeToNode(instance, json)!["http"]!.AsObject();
        http.ToJsonString().ShouldNotContain(_marker);
        http.ContainsKey("authHeader").ShouldBeFalse();
        http["authHeaderSecret"]!.ToJsonString().ShouldBe("""{"source":"stored","reference":null,"fingerprint":null}""");
        http["url"]!.GetValue<string>().ShouldBe(Erp.Url);
        webhook.AuthHeaderSecret.ShouldBeNull();
        // Configuration is internal: the feed gives neither, in either shape.
        var feed = (await Api.As(Auditor).Get("/api/v1/feed?after=0&limit=1000")).Json;
        feed.ToJsonString().ShouldNotContain(_marker);
        feed["events"]!.AsArray().Select(e => e!["stream"]!.GetValue<string>())
            .ShouldNotContain(stream => stream == ErpStreams.Instance("erp-old") || stream == WebhookStreams.Webhook("old-hook"));
    }
}
