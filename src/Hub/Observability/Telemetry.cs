using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ProductHub.Hub.Observability;

public static class Telemetry
{
    /// <summary>
    /// Metrics from the hub's meter, Wolverine's and Marten's; traces through ASP.NET Core, Wolverine and Marten.
    /// OTLP export is on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard variable).
    /// </summary>
    public static IServiceCollection AddHubTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<HubMetrics>();
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("producthub"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(HubMetrics.MeterName, "Wolverine", "Marten")
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp) metrics.AddOtlpExporter();
            })
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation().AddSource("Wolverine", "Marten");
                if (otlp) tracing.AddOtlpExporter();
            });
        return services;
    }

    public static void MapHubTelemetry(this WebApplication app) => app.MapPrometheusScrapingEndpoint("/metrics");
}
