namespace ProductHub.Hub.Parts.Releasing;

/// <summary>
/// A release that changed parts, told to whoever builds on canonical data (the plants) through the outbox: they
/// hear of it if and only if it commits. The release does not know who listens.
/// </summary>
/// <param name="Released">The parts the package released.</param>
/// <param name="Reach">The released parts and every part above them, as the release found them: what the release can change.</param>
public sealed record PartsReleased(string PackageId, IReadOnlyList<string> Released, IReadOnlyList<string> Reach);
