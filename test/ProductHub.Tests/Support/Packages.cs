using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProductHub.Tests.Support;

/// <summary>Release packages as PLM sends them, written as plain objects so the tests speak the JSON contract.</summary>
public static class Packages
{
    public static object Package(string packageId, string releasedAt, params object[] parts) =>
        new { packageId, source = "plm-test", releasedAt, changeOrder = (string?)null, parts };

    public static object PackageFor(string packageId, string releasedAt, string changeOrder, params object[] parts) =>
        new { packageId, source = "plm-test", releasedAt, changeOrder, parts };

    public static object Part(string partNumber, string revision, string effectiveFrom, params object[] bom) =>
        new
        {
            partNumber, revision, description = $"Part {partNumber}", unit = "EA", type = bom.Length > 0 ? "make" : "buy",
            effectiveFrom, bom,
        };

    public static object Line(int findNumber, string partNumber, decimal quantity,
        string? effectiveFrom = null, string? effectiveTo = null, string unit = "EA") =>
        new { findNumber, partNumber, quantity, unit, effectiveFrom, effectiveTo };

    /// <summary>A part (from <see cref="Part"/>) with a routing.</summary>
    public static object Routed(object part, params object[] operations) => With(part, "operations", operations);

    /// <summary>A package, part or operation (from the builders here) with one more property, e.g. its documents.</summary>
    public static JsonNode With(object value, string property, object? content)
    {
        var node = JsonSerializer.SerializeToNode(value, JsonSerializerOptions.Web)!;
        node[property] = JsonSerializer.SerializeToNode(content, JsonSerializerOptions.Web);
        return node;
    }

    /// <summary>A document revision as PLM releases it; its SHA-256 is that of a file whose text is <paramref name="content"/>.</summary>
    public static object Document(string documentNumber, string revision, string kind = "workInstruction", string? content = null) =>
        new
        {
            documentNumber, revision, title = $"Document {documentNumber}", kind,
            uri = $"https://plm.example.com/vault/{documentNumber}/{revision}",
            sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(content ?? $"{documentNumber} rev {revision}"))),
        };

    public static object DocumentReference(string documentNumber, string revision) => new { documentNumber, revision };

    public static object Operation(int operationNumber, string workCenter, decimal runMinutes, decimal? setupMinutes = null,
        decimal? runQuantity = null, decimal? cleanupMinutes = null, string? batching = null, int[]? consumes = null,
        string? effectiveFrom = null, string? effectiveTo = null) =>
        new
        {
            operationNumber, description = $"Operation {operationNumber}", workCenter, setupMinutes, runMinutes, runQuantity,
            cleanupMinutes, batching, consumes, effectiveFrom, effectiveTo,
        };
}
