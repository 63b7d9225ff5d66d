using Npgsql;
using ProductHub.Hub.Api;

namespace ProductHub.Tests.Logic;

/// <summary>
/// What counts as another writer getting in first: answered 409 over HTTP, and run again by the handlers' retry
/// policy before anything goes to the error queue.
/// </summary>
public sealed class WriteConflictTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    public void a_taken_key_a_deadlock_and_a_serialization_failure_are_write_conflicts_also_when_wrapped(string sqlState)
    {
        var postgres = new PostgresException("conflict", "ERROR", "ERROR", sqlState);

        WriteConflict.Is(postgres).ShouldBeTrue();
        WriteConflict.Is(new InvalidOperationException("Marten wraps it", postgres)).ShouldBeTrue();
    }

    [Theory]
    [InlineData(PostgresErrorCodes.UndefinedTable)]
    [InlineData(PostgresErrorCodes.CharacterNotInRepertoire)]
    public void other_database_errors_are_not(string sqlState) =>
        WriteConflict.Is(new PostgresException("broken", "ERROR", "ERROR", sqlState)).ShouldBeFalse();
}
