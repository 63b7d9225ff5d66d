using NodaTime;
using ProductHub.Domain.Plants;

namespace ProductHub.Projections.Plants;

/// <summary>
/// A plant as configured, with every configuration it ever had (so its rules answer "as of T"), the parts
/// assigned to it and the ERP reference data loaded for it, newest last.
/// </summary>
public sealed class PlantView
{
    public string Id { get; set; } = "";
    public string Code { get; set; } = "";
    public List<PlantConfiguration> Configurations { get; set; } = [];
    public List<PlantAssignment> Assignments { get; set; } = [];
    public Dictionary<string, List<ReferenceDataVersion>> ReferenceData { get; set; } = [];

    public static PlantView Create(PlantConfigured e)
    {
        var plant = new PlantView { Id = PlantStreams.Plant(e.PlantCode), Code = e.PlantCode };
        plant.Apply(e);
        return plant;
    }

    public void Apply(PlantConfigured e) =>
        Configurations.Add(new PlantConfiguration(e.Name, e.ErpInstance, e.Rules, e.RecordedAt));

    public void Apply(PartAssignedToPlant e)
    {
        if (Assignments.All(a => a.PartNumber != e.PartNumber)) Assignments.Add(new PlantAssignment(e.PartNumber, e.RecordedAt));
    }

    public void Apply(ReferenceDataLoaded e)
    {
        foreach (var item in e.Items)
        {
            if (!ReferenceData.TryGetValue(item.PartNumber, out var versions)) ReferenceData[item.PartNumber] = versions = [];
            versions.Add(new ReferenceDataVersion(item, e.Source, e.RecordedAt));
        }
    }

    public PlantConfiguration Current() => Configurations[^1];

    public PlantConfiguration? ConfigurationAsOf(Instant? asOf) =>
        Configurations.LastOrDefault(c => asOf is null || c.RecordedAt <= asOf.Value);

    public IEnumerable<string> AssignedAsOf(Instant? asOf) =>
        Assignments.Where(a => asOf is null || a.AssignedAt <= asOf.Value).Select(a => a.PartNumber);

    public ReferenceDataItem? ReferenceDataOf(string partNumber, Instant? asOf = null) =>
        ReferenceData.GetValueOrDefault(partNumber)?.LastOrDefault(v => asOf is null || v.RecordedAt <= asOf.Value)?.Item;
}

public sealed record PlantConfiguration(string Name, string ErpInstance, PlantRules Rules, Instant RecordedAt);

public sealed record PlantAssignment(string PartNumber, Instant AssignedAt);

public sealed record ReferenceDataVersion(ReferenceDataItem Item, string Source, Instant RecordedAt);
