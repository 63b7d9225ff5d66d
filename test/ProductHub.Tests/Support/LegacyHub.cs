using Marten;
using NodaTime;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Webhooks;
using ProductHub.Hub;

namespace ProductHub.Tests.Support;

/// <summary>
/// Writes what a hub before the secret store wrote: configuration events of the first shapes, with the auth header in
/// plain text (event types <c>erp_instance_configured</c>, <c>webhook_configured</c>), and the snapshot documents it
/// kept of them, into the hub's own tables, with Marten set up as the hub sets it up.
/// </summary>
public sealed class LegacyHub(DocumentStore store) : IAsyncDisposable
{
    public static LegacyHub On(string connectionString) => new(DocumentStore.For(opts =>
    {
        HubHost.ConfigureStorage(opts, connectionString);
        opts.Events.MapEventType<ErpInstanceConfiguredV1>(ErpInstanceConfiguredV1.EventTypeName);
        opts.Events.MapEventType<WebhookConfiguredV1>(WebhookConfiguredV1.EventTypeName);
        // The hub's snapshot tables, with the numeric revisions Marten gives projected documents.
        opts.Schema.For<ErpInstanceSnapshot>().DocumentAlias("erpinstanceview").UseNumericRevisions(true);
        opts.Schema.For<WebhookSnapshot>().DocumentAlias("webhookview").UseNumericRevisions(true);
    }));

    public static ErpInstanceConfiguredV1 Http(string name, string url, string? authHeader) => new(
        name, ErpChannel.Http, new HttpChannelSettingsV1(url, authHeader, 5), null, null, new ErpMapping("v1", new Dictionary<string, string>(),
            new Dictionary<string, string>(), new Dictionary<string, string>()),
        new DeliveryRetry(3, [Duration.FromMilliseconds(200)]), SystemClock.Instance.GetCurrentInstant());

    public static WebhookConfiguredV1 Webhook(string name, string url, string? authHeader) => new(
        name, url, authHeader, null, [], 0, new DeliveryRetry(3, [Duration.FromMilliseconds(200)]), SystemClock.Instance.GetCurrentInstant());

    /// <param name="withSnapshot">False for an event appended behind the hub's back, which no snapshot has seen.</param>
    public async Task ConfigureAsync(ErpInstanceConfiguredV1 configured, bool withSnapshot = true)
    {
        await using var session = store.LightweightSession();
        var stream = ErpStreams.Instance(configured.Name);
        var previous = await session.LoadAsync<ErpInstanceSnapshot>(stream);
        session.Events.Append(stream, configured);
        if (withSnapshot)
        {
            session.Store(new ErpInstanceSnapshot
            {
                Id = stream, Name = configured.Name, Configuration = configured, Configurations = (previous?.Configurations ?? 0) + 1,
            });
        }
        await SaveAsOldHubAsync(session, ErpInstanceConfiguredV1.EventTypeName, typeof(ErpInstanceConfigured));
    }

    public async Task ConfigureAsync(WebhookConfiguredV1 configured)
    {
        await using var session = store.LightweightSession();
        var stream = WebhookStreams.Webhook(configured.Name);
        session.Events.Append(stream, configured);
        session.Store(new WebhookSnapshot { Id = stream, Name = configured.Name, Configuration = configured });
        await SaveAsOldHubAsync(session, WebhookConfiguredV1.EventTypeName, typeof(WebhookConfigured));
    }

    /// <summary>The old hub's rows named its own record types, which today's records have taken over.</summary>
    private static async Task SaveAsOldHubAsync(IDocumentSession session, string eventType, Type recordedAs)
    {
        await session.SaveChangesAsync();
        session.QueueSqlCommand("UPDATE producthub.mt_events SET mt_dotnet_type = ? WHERE type = ?",
            $"{recordedAs.FullName}, {recordedAs.Assembly.GetName().Name}", eventType);
        await session.SaveChangesAsync();
    }

    public ValueTask DisposeAsync() => store.DisposeAsync();

    /// <summary>The old hub's <c>ErpInstanceView</c> document, as it stored it.</summary>
    public sealed class ErpInstanceSnapshot
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public ErpInstanceConfiguredV1 Configuration { get; set; } = null!;
        public int Configurations { get; set; }
    }

    /// <summary>The old hub's <c>WebhookView</c> document, as it stored it.</summary>
    public sealed class WebhookSnapshot
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public WebhookConfiguredV1 Configuration { get; set; } = null!;
        public List<WebhookBatchDeadLettered> DeadLetters { get; set; } = [];
    }
}
