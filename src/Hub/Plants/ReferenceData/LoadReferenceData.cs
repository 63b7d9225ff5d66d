using System.Globalization;
using CsvHelper;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Api;
using ProductHub.Hub.Plants.Configuring;
using ProductHub.Hub.Security;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ProductHub.Hub.Plants.ReferenceData;

/// <summary>Body of the JSON route, shaped by <c>schemas/canonical/v1/reference-data.schema.json</c>.</summary>
[Contract("canonical/v1/reference-data.schema.json")]
public sealed record LoadReferenceData(IReadOnlyList<ReferenceDataItem> Items);

public sealed record ReferenceDataAnswer(string PlantCode, string Source, int Items, Instant RecordedAt);

[Tags("Plants")]
public static class LoadReferenceDataEndpoint
{
    /// <summary>
    /// ERP reference data for a plant, as JSON or, the legacy file route, as CSV with a header row
    /// (<c>text/csv</c>, the JSON field names as columns). All rows are taken or, if one is bad, none.
    /// </summary>
    [Authorize(Policy = Access.Administration)]
    [WolverinePost("/api/v1/plants/{plantCode}/reference-data", OperationId = "loadReferenceData", Summary = "Load ERP reference data of a plant, as JSON or CSV")]
    [NonTransactional]
    [RequestContract(typeof(LoadReferenceData), TextMediaTypes = ["text/csv"])]
    [ProducesResponseType<ReferenceDataAnswer>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Post(
        string plantCode, HttpRequest request, IDocumentSession session, IMessageBus bus, IClock clock,
        IOptions<JsonOptions> json, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Plant>(PlantStreams.Plant(plantCode), ct);
        if (stream.Aggregate is not { } plant) return ConfigurePlantEndpoint.UnknownPlant(plantCode);

        var isCsv = request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;
        IReadOnlyList<ReferenceDataItem> items;
        if (isCsv)
        {
            using var reader = new StreamReader(request.Body);
            var (rows, errors) = ReferenceDataCsv.Parse(await reader.ReadToEndAsync(ct));
            if (errors.Count > 0) return Problems.Invalid(errors);
            items = rows;
        }
        else
        {
            var (body, problem) = await JsonBody.ReadAsync<LoadReferenceData>(request, json.Value.SerializerOptions, ct);
            if (body is null) return problem!;
            items = body.Items;
        }

        var source = isCsv ? "csv" : "json";
        var now = clock.GetCurrentInstant();
        await LoadReferenceDataDecision.Decide(plant, source, $"reference data ({source})", items, now).RecordAsync(session, stream, bus, now);
        await session.SaveChangesAsync(ct);
        return Results.Ok(new ReferenceDataAnswer(plantCode, source, items.Count, now));
    }
}

/// <summary>The legacy CSV file of reference data; each bad field is reported with its line number.</summary>
public static class ReferenceDataCsv
{
    public static (IReadOnlyList<ReferenceDataItem> Items, IReadOnlyDictionary<string, string[]> Errors) Parse(string text)
    {
        var items = new List<ReferenceDataItem>();
        var errors = new FieldErrors();
        try
        {
            using var csv = CsvReader.FromText(text, new CsvReaderOptions { TrackLineNumbers = true, TrimWhitespace = true });
            while (csv.Read())
            {
                var line = $"line {csv.LineNumber}";
                string? Text(string column)
                {
                    if (!csv.TryGetFieldIndex(column, out var i) || csv.GetStringOrNull(i) is not { Length: > 0 } value) return null;
                    if (IntakeLimits.TextProblem(value) is not { } problem) return value;
                    errors.Add($"{line}.{column}", problem);
                    return null;
                }
                T? Number<T>(string column) where T : struct, IParsable<T>
                {
                    if (Text(column) is not { } raw) return null;
                    if (T.TryParse(raw, CultureInfo.InvariantCulture, out var value)) return value;
                    errors.Add($"{line}.{column}", $"'{raw}' is not a {(typeof(T) == typeof(int) ? "whole number" : "number")}");
                    return null;
                }

                var partNumber = Text("partNumber");
                if (partNumber is null || !Keys.IsValid(partNumber)) errors.Add($"{line}.partNumber", $"a part number is {Keys.Rule}");
                var item = new ReferenceDataItem(partNumber ?? "", Number<decimal>("standardCost"), Text("currency"),
                    Text("preferredSupplier"), Number<int>("leadTimeDays"), Text("storageLocation"));
                if (item.StandardCost < 0) errors.Add($"{line}.standardCost", "must not be negative");
                if (item.LeadTimeDays < 0) errors.Add($"{line}.leadTimeDays", "must not be negative");
                if (item.Currency is { } currency && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
                    errors.Add($"{line}.currency", $"'{currency}' is not an ISO 4217 code like EUR");
                items.Add(item);
            }
        }
        catch (CsvFormatException e)
        {
            errors.Add($"line {e.LineNumber}", e.Message);
        }
        if (items.Count == 0 && errors.Count == 0) errors.Add("line 2", "the file has a header but no rows");
        return (items, errors.ToDictionary());
    }
}
