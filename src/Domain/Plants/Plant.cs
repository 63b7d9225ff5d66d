using System.Collections.Immutable;
using NodaTime;

namespace ProductHub.Domain.Plants;

/// <summary>
/// What commands to a plant decide on, folded from its stream by <see cref="Evolve"/>: the configuration in force
/// and when each part was assigned. A plant is known once configured; the history of its configurations and its
/// reference data are the read model's.
/// </summary>
public sealed record Plant(string Id, string Code, PlantConfigured Configuration, ImmutableDictionary<string, Instant> Assigned)
{
    /// <summary>The plant after one more event of its stream; before its first configuration there is none.</summary>
    public static Plant? Evolve(Plant? plant, object e) => (plant, e) switch
    {
        (null, PlantConfigured x) => new Plant(PlantStreams.Plant(x.PlantCode), x.PlantCode, x, ImmutableDictionary<string, Instant>.Empty),
        ({ } p, PlantConfigured x) => p with { Configuration = x },
        // Assigned once: assigning again records nothing, but the first instant is what the plant answers.
        ({ } p, PartAssignedToPlant x) when !p.Assigned.ContainsKey(x.PartNumber) => p with { Assigned = p.Assigned.Add(x.PartNumber, x.RecordedAt) },
        _ => plant,
    };

    /// <summary>Whether configuring the plant this way changes anything: the same configuration again records nothing.</summary>
    public bool IsConfiguredAs(string name, string erpInstance, PlantRules rules) =>
        Configuration.Name == name && Configuration.ErpInstance == erpInstance && Configuration.Rules.SameAs(rules);
}
