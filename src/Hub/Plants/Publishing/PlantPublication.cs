using System.Globalization;
using System.Text.Json;
using ProductHub.Domain;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Api;
using ProductHub.Projections.Boms;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Plants;
using ProductHub.Projections.Units;

namespace ProductHub.Hub.Plants.Publishing;

/// <summary>What one part's released revision becomes in one plant: its item and MBOM, or the checks it fails.</summary>
public sealed record PlantPublication(
    string PartNumber, string Revision, PlantItem? Item, IReadOnlyList<StructureLine> Lines, IReadOnlyList<PlantOperation> Routing,
    IReadOnlyList<DocumentRevision> Documents, string? ContentHash, IReadOnlyList<FailedCheck> Failures)
{
    private static readonly JsonSerializerOptions HashJson = HubJson.Create();

    public bool IsComplete => Failures.Count == 0;

    /// <summary>
    /// Loads into <paramref name="parts"/> what <see cref="Decide"/> reads of these revisions of parts made in the
    /// plant: the parts their lines point at and those reached through phantoms, one batch per level for all of them.
    /// </summary>
    public static Task LoadAsync(PlantView plant, IEnumerable<(PartView Part, RevisionView Revision)> revisions, PartCache parts, UnitCatalog units)
    {
        var rules = plant.Current().Rules;
        return PlantLinesOf(plant, units).LoadAsync(
            revisions.Where(r => rules.ProcurementOf(r.Part.Id, r.Revision.Type) == Procurement.Make).Select(r => r.Revision).ToList(), parts);
    }

    /// <summary>
    /// Validates completeness for the plant, then derives the item (enriched with the plant's ERP reference data)
    /// and its MBOM lines and routing. The content hash covers them, so the same result always hashes the same. Reads only what
    /// <see cref="LoadAsync"/> loaded.
    /// </summary>
    /// <param name="openException">The open exception of a component that is itself incomplete in the plant, if any.</param>
    public static PlantPublication Decide(
        PlantView plant, PartView part, RevisionView revision, PartCache parts, UnitCatalog units,
        Func<string, string?> openException)
    {
        var rules = plant.Current().Rules;
        var procurement = rules.ProcurementOf(part.Id, revision.Type);
        IReadOnlyList<StructureLine> lines;
        try
        {
            lines = procurement == Procurement.Make ? PlantLinesOf(plant, units).LinesOf(revision, parts) : [];
        }
        catch (UncomputableQuantityException e)
        {
            // The plant's rules (phantoms blown through) multiplied a quantity out of range: this part waits on the
            // workbench like any other incomplete one, and the rest of the sync goes on.
            return Failed(part, revision, [new FailedCheck(e.Field, e.Message)]);
        }
        lines = lines.OrderBy(l => l.FindNumber).ToList();
        var referenceData = plant.ReferenceDataOf(part.Id);

        // The dates this revision governs: a line is built, and so checked, only where the revision and the line both
        // apply, as the BOM query reads it (a line effective before its revision takes effect is not built then).
        var governs = part.RevisionPeriods(null).FirstOrDefault(p => p.Revision == revision).Dates
                      ?? new Effectivity(revision.EffectiveFrom, null);
        var failures = new List<FailedCheck>();
        foreach (var line in lines)
        {
            if (line.Effectivity.Intersect(governs) is not { } applies) continue;
            var field = $"bom[findNumber={line.FindNumber}]";
            var child = parts[line.PartNumber];
            if (child is null)
                failures.Add(new FailedCheck($"{field}.partNumber", $"{line.PartNumber} is not known to the hub"));
            else if (child.RevisionEffectiveOn(applies.From, null) is not { } childRevision)
                failures.Add(new FailedCheck($"{field}.partNumber",
                    $"{line.PartNumber} has no released revision effective on {applies.From.ToString("R", CultureInfo.InvariantCulture)}"));
            else if (units.Find(line.Unit)?.Dimension != units.Find(childRevision.Unit)?.Dimension)
                failures.Add(new FailedCheck($"{field}.unit",
                    $"{line.Unit} cannot be converted to {line.PartNumber}'s unit {childRevision.Unit}"));
            else if (openException(line.PartNumber) is { } exceptionId)
                failures.Add(new FailedCheck($"{field}.partNumber",
                    $"{line.PartNumber} is incomplete for plant {plant.Code} (exception {exceptionId})"));
        }
        foreach (var rule in rules.MandatoryAttributes.Where(r => RequiredAttributes.AppliesTo(r, procurement)))
        {
            if (rule.Attribute == RequiredAttributes.MappedWorkCenters)
                failures.AddRange(PlantRouting.Unmapped(revision, rules, plant.Code));
            else if (!RequiredAttributes.IsPresent(rule.Attribute, revision, referenceData))
                failures.Add(new FailedCheck(rule.Attribute,
                    $"plant {plant.Code} requires {rule.Attribute} on {rule.AppliesTo} parts; {part.Id} rev {revision.Revision} has none"));
        }
        if (failures.Count > 0) return Failed(part, revision, failures);

        var item = new PlantItem(
            part.Id, revision.Revision, revision.Description, revision.Unit, procurement, revision.BaseQuantity,
            revision.BaseUnit, revision.EffectiveFrom, revision.Compliance, revision.ApprovedManufacturers, referenceData);
        // A bought part is not made here, so it has no routing in the plant.
        var routing = procurement == Procurement.Make ? PlantRouting.Of(revision, lines, rules) : [];
        // The documents the plant needs: the revision's own, and those of the operations it builds with.
        var documents = revision.DocumentsUsed(routing.Select(o => o.OperationNumber));
        // Without a routing or documents the hash is what it was before them, so that no publication changes by their coming.
        var hash = Domain.ContentHash.Of((routing.Count, documents.Count) switch
        {
            (0, 0) => JsonSerializer.Serialize(new { item, lines }, HashJson),
            (_, 0) => JsonSerializer.Serialize(new { item, lines, routing }, HashJson),
            _ => JsonSerializer.Serialize(new { item, lines, routing, documents }, HashJson),
        });
        return new PlantPublication(part.Id, revision.Revision, item, lines, routing, documents, hash, []);
    }

    private static PlantPublication Failed(PartView part, RevisionView revision, IReadOnlyList<FailedCheck> failures) =>
        new(part.Id, revision.Revision, null, [], [], [], null, failures);

    private static PlantLines PlantLinesOf(PlantView plant, UnitCatalog units) => new(plant.Current().Rules, units, null);
}
