using JasperFx.Events.Projections;
using Marten;
using ProductHub.Domain.Webhooks;
using ProductHub.Projections.Webhooks;

namespace ProductHub.Hub.Webhooks;

public static class Configuration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<WebhookPump>();
        services.AddHostedService(sp => new WebhookPumps(
            sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<WebhookPump>(), sp.GetRequiredService<ILogger<WebhookPumps>>(),
            configuration.GetValue("ProductHub:WebhookPollInterval", TimeSpan.FromSeconds(1))));
        return services;
    }

    public static StoreOptions ConfigureWebhooks(this StoreOptions opts)
    {
        // As for ERP instances: the auth header is no longer part of the event, and the first shape is read redacted.
        opts.Events.MapEventType<WebhookConfigured>("webhook_configured_v2");
        opts.Events.Upcast<WebhookConfiguredV1, WebhookConfigured>(WebhookConfiguredV1.EventTypeName, v1 => v1.Redacted());
        opts.Projections.Snapshot<WebhookView>(SnapshotLifecycle.Inline);
        opts.Schema.For<WebhookCursor>().UseOptimisticConcurrency(true);
        opts.Schema.For<WebhookReplay>().Index(r => r.Webhook);
        return opts;
    }
}
