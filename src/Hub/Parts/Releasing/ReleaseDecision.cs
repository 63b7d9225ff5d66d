using System.Globalization;
using System.Text;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;
using ProductHub.Projections.Units;

namespace ProductHub.Hub.Parts.Releasing;

/// <summary>What the hub knows before it takes a package: the parts it names, and the structure around them.</summary>
/// <param name="Parts">The package's parts the hub knows already.</param>
/// <param name="ChildUnits">Units of the known BOM children outside the package, by part number.</param>
/// <param name="StoredParents">Stored where-used edges above the package's parts (child → parents).</param>
/// <param name="Documents">The documents the package releases or refers to that the hub knows, by document number.</param>
public sealed record ReleaseContext(
    IReadOnlyDictionary<string, Part> Parts,
    IReadOnlyDictionary<string, string> ChildUnits,
    IReadOnlyDictionary<string, IReadOnlyCollection<string>> StoredParents,
    UnitCatalog Units,
    IReadOnlyDictionary<string, Document> Documents);

public sealed record PartOutcome(string PartNumber, string Revision, bool Released, IReadOnlyList<object> Events);

/// <summary>Either the events per part and the new document revisions, or the reasons (keyed by JSON path) why nothing may be stored.</summary>
public sealed record ReleaseDecision(
    IReadOnlyList<PartOutcome> Outcomes, IReadOnlyList<DocumentRevisionReleased> Documents, IReadOnlyDictionary<string, string[]> Rejections)
{
    public bool IsRejected => Rejections.Count > 0;

    /// <summary>Pure: the same package and context always give the same decision.</summary>
    public static ReleaseDecision Decide(ReleasePackage package, ReleaseContext context, Instant recordedAt)
    {
        var errors = new FieldErrors();
        var releaseDate = LocalDate.FromDateTime(package.ReleasedAt.UtcDateTime);
        var inPackage = package.Parts.ToDictionary(p => p.PartNumber, StringComparer.Ordinal);
        var outcomes = new List<PartOutcome>();
        var documents = ReleasedDocuments.Decide(package, context.Documents, errors, recordedAt);
        var availableDocuments = ReleasedDocuments.Available(package, context.Documents);

        for (var i = 0; i < package.Parts.Count; i++)
        {
            var part = package.Parts[i];
            var path = $"$.parts[{i}]";
            var revision = Resolve(part, releaseDate, ReleasedDocuments.Resolve(part, path, availableDocuments, errors));
            CheckUnits(revision, path, context, inPackage, errors);
            ReleasedRouting.Check(part, path, errors);

            var hash = revision.ContentHash();
            var state = context.Parts.GetValueOrDefault(part.PartNumber);
            if (state?.Released.GetValueOrDefault(part.Revision) is { } released)
            {
                if (released.ContentHash != hash)
                {
                    errors.Add($"{path}.revision",
                        $"{part.PartNumber} revision {part.Revision} was released before (package {released.PackageId}) " +
                        "with different content; a released revision is immutable, so a change needs a new revision");
                }
                outcomes.Add(new PartOutcome(part.PartNumber, part.Revision, false, []));
                continue;
            }
            outcomes.Add(new PartOutcome(part.PartNumber, part.Revision, true,
                EventsFor(package, revision, hash, state, recordedAt)));
        }

        var releasing = outcomes.Where(o => o.Released).Select(o => o.PartNumber).ToHashSet(StringComparer.Ordinal);
        var newEdges = new List<(string Parent, string Child)>();
        var linePaths = new List<string>();
        for (var i = 0; i < package.Parts.Count; i++)
        {
            var part = package.Parts[i];
            if (!releasing.Contains(part.PartNumber)) continue;
            var bom = part.Bom ?? [];
            for (var j = 0; j < bom.Count; j++)
            {
                var child = bom[j].PartNumber;
                var linePath = $"$.parts[{i}].bom[{j}].partNumber";
                if (!inPackage.ContainsKey(child) && !context.ChildUnits.ContainsKey(child))
                {
                    errors.Add(linePath,
                        $"{child} is unknown: it is neither in this package nor released to the hub before");
                }
                newEdges.Add((part.PartNumber, child));
                linePaths.Add(linePath);
            }
        }
        foreach (var cycle in StructureCycles.Find(newEdges, context.StoredParents))
        {
            var first = linePaths[cycle.Edges[0]];
            errors.Add(first, $"{string.Join(" → ", cycle.Path)} is a cycle in the product structure");
            foreach (var other in cycle.Edges.Skip(1))
            {
                errors.Add(linePaths[other],
                    $"{newEdges[other].Parent} → {newEdges[other].Child} closes a cycle among the same parts as the line at {first}");
            }
        }

        return errors.Count > 0
            ? new ReleaseDecision([], [], errors.ToDictionary())
            : new ReleaseDecision(outcomes, documents, new Dictionary<string, string[]>());
    }

    private static ResolvedRevision Resolve(ReleasedPart part, LocalDate releaseDate, IReadOnlyList<DocumentReferenced> documents)
    {
        var effectiveFrom = part.EffectiveFrom ?? releaseDate;
        return new ResolvedRevision(
            part,
            effectiveFrom,
            Quantities.Normalize(part.BaseQuantity ?? 1m),
            part.BaseUnit ?? part.Unit,
            (part.Bom ?? []).Select(l => new BomLineAdded(
                part.PartNumber, part.Revision, l.FindNumber, l.PartNumber, Quantities.Normalize(l.Quantity), l.Unit,
                l.ReferenceDesignators ?? [], new Effectivity(l.EffectiveFrom ?? effectiveFrom, l.EffectiveTo),
                default)).ToList(),
            ReleasedRouting.Resolve(part, effectiveFrom),
            documents);
    }

    private static void CheckUnits(
        ResolvedRevision revision, string path, ReleaseContext context,
        IReadOnlyDictionary<string, ReleasedPart> inPackage, FieldErrors errors)
    {
        var units = context.Units;
        var partUnit = Known(revision.Part.Unit, $"{path}.unit");
        if (Known(revision.BaseUnit, $"{path}.baseUnit") is { } baseUnit && partUnit is not null &&
            baseUnit.Dimension != partUnit.Dimension)
        {
            errors.Add($"{path}.baseUnit",
                $"base unit {baseUnit.Code} ({baseUnit.Dimension}) cannot be converted to the part's unit {partUnit.Code} ({partUnit.Dimension})");
        }

        for (var j = 0; j < revision.Lines.Count; j++)
        {
            var line = revision.Lines[j];
            var lineUnit = Known(line.Unit, $"{path}.bom[{j}].unit");
            var childUnitCode = inPackage.GetValueOrDefault(line.ChildPartNumber)?.Unit
                                ?? context.ChildUnits.GetValueOrDefault(line.ChildPartNumber);
            if (lineUnit is not null && childUnitCode is not null && units.Find(childUnitCode) is { } childUnit &&
                childUnit.Dimension != lineUnit.Dimension)
            {
                errors.Add($"{path}.bom[{j}].unit",
                    $"{lineUnit.Code} ({lineUnit.Dimension}) cannot be converted to {line.ChildPartNumber}'s unit {childUnit.Code} ({childUnit.Dimension})");
            }
        }

        Domain.Units.UnitOfMeasure? Known(string code, string field)
        {
            var unit = units.Find(code);
            if (unit is null) errors.Add(field, $"unit {code} is not defined; define it with PUT /api/v1/units/{code}");
            return unit;
        }
    }

    private static List<object> EventsFor(
        ReleasePackage package, ResolvedRevision revision, string hash, Part? state, Instant now)
    {
        var part = revision.Part;
        var events = new List<object>();
        if (state is null)
        {
            events.Add(new PartRegistered(part.PartNumber, part.Description, part.Unit, part.Type, now));
        }
        else if (state.Description != part.Description || state.Unit != part.Unit || state.Type != part.Type)
        {
            events.Add(new PartAttributesChanged(part.PartNumber, part.Description, part.Unit, part.Type, now));
        }

        events.Add(new RevisionCreated(
            part.PartNumber, part.Revision, part.Description, part.Unit, part.Type, revision.BaseQuantity,
            revision.BaseUnit, revision.EffectiveFrom,
            part.Attributes ?? new Dictionary<string, string>(), now));
        if (part.Compliance is { } compliance)
        {
            events.Add(new ComplianceRecorded(part.PartNumber, part.Revision, compliance, now));
        }
        events.AddRange((part.ApprovedManufacturers ?? []).Select(m => new ApprovedManufacturerAdded(
            part.PartNumber, part.Revision, m.Manufacturer, m.ManufacturerPartNumber, now)));
        events.AddRange(revision.Lines.Select(l => l with { RecordedAt = now }));
        events.AddRange(revision.Operations.Select(o => o with { RecordedAt = now }));
        events.AddRange(revision.Documents.Select(d => d with { RecordedAt = now }));
        events.Add(new RevisionReleased(
            part.PartNumber, part.Revision, package.PackageId, Instant.FromDateTimeOffset(package.ReleasedAt),
            package.ChangeOrder, hash, now));
        if (state?.CurrentRevision is { } previous)
        {
            events.Add(new RevisionSuperseded(part.PartNumber, previous, part.Revision, now));
        }
        return events;
    }

    private sealed record ResolvedRevision(
        ReleasedPart Part, LocalDate EffectiveFrom, decimal BaseQuantity, string BaseUnit, IReadOnlyList<BomLineAdded> Lines,
        IReadOnlyList<OperationAdded> Operations, IReadOnlyList<DocumentReferenced> Documents)
    {
        /// <summary>
        /// SHA-256 of the revision's engineering content with defaults applied, in a fixed order, so that the
        /// same revision sent again in any package is recognised and a changed one is not.
        /// </summary>
        public string ContentHash()
        {
            var text = new StringBuilder();
            void Field(string name, object? value) =>
                text.Append(name).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');

            Field("description", Part.Description);
            Field("unit", Part.Unit);
            Field("type", Part.Type);
            Field("baseQuantity", BaseQuantity);
            Field("baseUnit", BaseUnit);
            Field("effectiveFrom", EffectiveFrom);
            foreach (var (key, value) in (Part.Attributes ?? new Dictionary<string, string>()).OrderBy(a => a.Key, StringComparer.Ordinal))
                Field($"attribute.{key}", value);
            Field("compliance", Part.Compliance);
            foreach (var m in (Part.ApprovedManufacturers ?? []).OrderBy(m => m.Manufacturer, StringComparer.Ordinal)
                         .ThenBy(m => m.ManufacturerPartNumber, StringComparer.Ordinal))
                Field("aml", $"{m.Manufacturer}|{m.ManufacturerPartNumber}");
            foreach (var l in Lines.OrderBy(l => l.FindNumber).ThenBy(l => l.ChildPartNumber, StringComparer.Ordinal)
                         .ThenBy(l => l.Effectivity.From))
                Field("line", $"{l.FindNumber}|{l.ChildPartNumber}|{l.Quantity}|{l.Unit}|{l.Effectivity.From}|" +
                              $"{l.Effectivity.To}|{string.Join(",", l.ReferenceDesignators)}");
            foreach (var operation in ReleasedRouting.HashLines(Operations)) Field("operation", operation);
            foreach (var use in ReleasedDocuments.HashLines(Documents)) Field("document", use);

            return Domain.ContentHash.Of(text.ToString());
        }
    }
}
