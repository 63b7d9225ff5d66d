using JasperFx.Events.Projections;
using Marten;
using ProductHub.Projections.Webhooks;

namespace ProductHub.Hub.Webhooks;

public static class Configuration
{
    public static StoreOptions ConfigureWebhooks(this StoreOptions opts)
    {
        opts.Projections.Snapshot<WebhookView>(SnapshotLifecycle.Inline);
        opts.Schema.For<WebhookCursor>();
        return opts;
    }
}
