import { ApiError } from './errors.js';
import type { ModelEntry, ModelSource, ServedModel } from './types.js';

/**
 * The models a server offers: one default, others loaded on first request and kept.
 * Concurrent first requests share one load.
 */
export class ModelCatalog {
  private readonly loading = new Map<string, Promise<ServedModel>>();
  private readonly loaded = new Map<string, ServedModel>();

  constructor(
    private readonly source: ModelSource,
    readonly defaultName: string,
  ) {}

  /** A catalog around models already in memory (the first is the default). */
  static fromModels(models: ServedModel[]): ModelCatalog {
    if (models.length === 0) throw new Error('ModelCatalog.fromModels needs at least one model');
    const byName = new Map(models.map((m) => [m.info.name, m]));
    const catalog = new ModelCatalog(
      {
        list: () => models.map((m) => ({ name: m.info.name, arch: m.info.arch })),
        load: async (name) => byName.get(name)!,
      },
      models[0]!.info.name,
    );
    for (const m of models) catalog.loaded.set(m.info.name, m);
    return catalog;
  }

  async list(): Promise<ModelEntry[]> {
    const entries = await this.source.list();
    // The default model may have been given as a path; make sure it is listed.
    if (!entries.some((e) => e.name === this.defaultName)) {
      const m = this.loaded.get(this.defaultName);
      if (m) return [{ name: m.info.name, arch: m.info.arch }, ...entries];
    }
    return entries;
  }

  isLoaded(name: string): boolean {
    return this.loaded.has(name);
  }

  peek(name: string): ServedModel | undefined {
    return this.loaded.get(name);
  }

  /** Registers a model that is already loaded (e.g. the one given by path on the command line). */
  add(model: ServedModel): void {
    this.loaded.set(model.info.name, model);
  }

  /** The named (or default) model; an unknown name is the client's mistake (400 listing the names). */
  async get(name?: string): Promise<ServedModel> {
    const want = name ?? this.defaultName;
    const ready = this.loaded.get(want);
    if (ready) return ready;
    const entries = await this.list();
    if (!entries.some((e) => e.name === want)) {
      const names = entries.map((e) => e.name).join(', ') || '(none)';
      throw new ApiError(400, 'unknown_model', `unknown model '${want}'; available: ${names}`);
    }
    let p = this.loading.get(want);
    if (!p) {
      p = this.source.load(want).then(
        (m) => {
          this.loaded.set(want, m);
          this.loading.delete(want);
          return m;
        },
        (err: unknown) => {
          this.loading.delete(want);
          throw err;
        },
      );
      this.loading.set(want, p);
    }
    return p;
  }
}
