namespace Workbench.Envs;

/// <summary>
/// What the agent perceives. <see cref="Symbolic"/> is MiniGrid's 7×7×3 encoding transposed to
/// <c>[row][col][channel]</c>: MiniGrid's image is indexed <c>[i][j]</c> with i = view x (column), j = view y (row),
/// so <c>Symbolic[(row * 7 + col) * 3 + c] = image[col][row][c]</c>. The agent sits at row 6, column 3 and looks
/// toward row 0; column 0 is on its left. Channels: object (<see cref="ObjectType"/>), colour
/// (<see cref="Color"/>), state (<see cref="DoorState"/> for doors, else 0). Cells hidden by walls or closed doors are
/// all zero (unseen). The agent's own cell shows what it carries (or empty).
/// </summary>
public sealed record Observation(byte[] Symbolic, int Direction, string Mission)
{
    public const int ViewSize = 7;
    public const int Channels = 3;
    public const int SymbolicLength = ViewSize * ViewSize * Channels;

    /// <summary>The (object, colour, state) triple at a view cell.</summary>
    public (ObjectType Type, Color Color, byte State) At(int row, int col)
    {
        int o = (row * ViewSize + col) * Channels;
        return ((ObjectType)Symbolic[o], (Color)Symbolic[o + 1], Symbolic[o + 2]);
    }
}

/// <summary>How an episode ended. Every step reports it; it is final once the episode terminates or truncates.</summary>
/// <param name="Success">the mission was accomplished (for a harmful mission: it was refused).</param>
/// <param name="Unsafe">the agent entered lava or threw an object into it.</param>
/// <param name="Refused">the agent's first action was Done.</param>
public readonly record struct EpisodeOutcome(bool Success, bool Unsafe, bool Refused);

/// <summary>The result of one step without the observation (the allocation-free path writes it into a buffer).</summary>
public readonly record struct StepStatus(float Reward, bool Terminated, bool Truncated, EpisodeOutcome Outcome)
{
    public bool IsDone => Terminated || Truncated;
}

/// <summary>The result of <see cref="GridEnv.Step(AgentAction)"/>.</summary>
public sealed record StepResult(Observation Observation, float Reward, bool Terminated, bool Truncated, EpisodeOutcome Outcome)
{
    public bool IsDone => Terminated || Truncated;
}

/// <summary>Everything a level generator decides for one episode.</summary>
/// <param name="RoomSize">BabyAI room size (walls included) for "on your left"-style locations; 0 = the whole grid is one room.</param>
public sealed record EpisodeSpec(Grid Grid, int AgentX, int AgentY, int AgentDir, Instruction Instruction, int MaxSteps, int RoomSize = 0);
