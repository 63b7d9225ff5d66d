using Marten;

namespace ProductHub.Hub.Feed;

public static class Configuration
{
    public static IServiceCollection AddFeed(this IServiceCollection services) =>
        services.AddSingleton<EventServing>().AddSingleton<WithheldEvents>().AddSingleton<EventReader>();

    public static StoreOptions ConfigureFeed(this StoreOptions opts)
    {
        // Known to Marten from the start, so the feed can tell each public type by the name Marten stores it under.
        opts.Events.AddEventTypes(PublicEvents.All.Select(e => e.Type));
        opts.Schema.For<WithheldEvent>();
        // A rebuild skips (and records as a dead letter event) what cannot be read rather than stop at it.
        opts.Projections.RebuildErrors.SkipSerializationErrors = true;
        return opts;
    }
}
