import { z } from '@hono/zod-openapi';

/** Limits that keep one request from tying up the server. */
export const MAX_FRAMES = 4096;
export const MAX_BATCH = 512;
export const MAX_TOP_K = 24;

// z.number() already refuses NaN and ±Infinity, which JSON cannot carry anyway.
const Value = z.number();

const ArrayRow = z.array(Value).min(1).openapi({ description: 'Values in `channels` order', example: [812, 790, 860, 870, 855, -12.5, -40.1, 3.2] });
const ObjectRow = z.record(z.string(), Value).openapi({
  description: 'Values keyed by channel name (extra keys are ignored)',
  example: { flex1: 812, flex2: 790, flex3: 860, flex4: 870, flex5: 855, pitch: -12.5, roll: -40.1, yaw: 3.2 },
});
const Row = z.union([ArrayRow, ObjectRow]);

export const Rows = z
  .array(Row)
  .min(1, 'an episode needs at least one frame')
  .max(MAX_FRAMES, `an episode may have at most ${MAX_FRAMES} frames`)
  .openapi({ description: 'Frames of one episode, oldest first' });

const TopK = z.number().int().min(1).max(MAX_TOP_K).default(5).openapi({ description: 'How many candidates to return' });
const ModelName = z.string().min(1).optional().openapi({ description: 'Model name from GET /models (default: the server\'s model)' });
const Channels = z
  .array(z.string().min(1))
  .min(1)
  .optional()
  .openapi({ description: 'Channel order of array rows (default: the model\'s channels)', example: ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw'] });

export const PredictRequest = z
  .object({ model: ModelName, top_k: TopK, channels: Channels, rows: Rows })
  .openapi('PredictRequest');

export const BatchEpisode = z.object({
  id: z.string().optional().openapi({ description: 'Echoed back to match answers to episodes' }),
  rows: Rows,
});

export const BatchRequest = z
  .object({
    model: ModelName,
    top_k: TopK,
    channels: Channels,
    episodes: z.array(BatchEpisode).min(1, 'send at least one episode').max(MAX_BATCH, `at most ${MAX_BATCH} episodes per batch`),
  })
  .openapi('BatchRequest');

export const ClassScore = z
  .object({ jamo: z.string().openapi({ example: 'ㄱ' }), index: z.number().int(), confidence: z.number() })
  .openapi('ClassScore');

export const PredictResponse = z
  .object({
    model: z.string(),
    jamo: z.string().openapi({ example: 'ㄱ' }),
    index: z.number().int(),
    confidence: z.number(),
    top_k: z.array(ClassScore),
    frames: z.number().int().openapi({ description: 'Frames received' }),
  })
  .openapi('PredictResponse');

export const BatchResponse = z
  .object({
    model: z.string(),
    predictions: z.array(PredictResponse.omit({ model: true }).extend({ id: z.string().optional() })),
  })
  .openapi('BatchResponse');

export const ErrorResponse = z
  .object({
    error: z.string().openapi({ example: 'rows[3][2]: expected a finite number, got null (NaN and Infinity become null in JSON)' }),
    code: z.string().openapi({ example: 'invalid_request' }),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Error');

export const ModelInfoSchema = z
  .object({
    name: z.string(),
    arch: z.string(),
    test_accuracy: z.number().optional(),
    loaded: z.boolean(),
    default: z.boolean(),
    classes: z.array(z.string()).optional(),
    channels: z.array(z.string()).optional(),
    T: z.number().int().optional(),
    browser: z.boolean().optional().openapi({ description: 'The bundle can be downloaded to run in the browser' }),
  })
  .openapi('Model');

export const ModelsResponse = z.object({ default: z.string(), models: z.array(ModelInfoSchema) }).openapi('Models');

export const HealthResponse = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    model: z.string(),
    source: z.string().nullable().openapi({ description: 'The glove this server reads (serve --source), watched over WebSocket /stream/glove; null without one' }),
    uptime_s: z.number(),
  })
  .openapi('Health');

const LabelledEpisode = z.object({
  jamo: z.string().min(1).openapi({ description: 'The letter signed', example: 'ㄱ' }),
  rows: Rows,
});

export const CalibrateRequest = z
  .object({
    model: ModelName,
    channels: Channels,
    shots: z.array(LabelledEpisode).min(1, 'send at least one labelled episode').max(MAX_BATCH, `at most ${MAX_BATCH} episodes`)
      .openapi({ description: "A few held signs per letter of this wearing (k per letter)" }),
    held_out: z.array(LabelledEpisode).max(MAX_BATCH).optional().openapi({ description: 'Extra holds to measure before/after (not used to adapt)' }),
  })
  .openapi('CalibrateRequest');
