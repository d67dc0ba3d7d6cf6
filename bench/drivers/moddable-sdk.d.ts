/**
 * Moddable's own sensor drivers as the drivers bench imports them: `stillheap bench drivers` maps these specifiers to
 * the files tools/moddable/sdk-drivers.ts extracts from the SDK, unmodified (JavaScript without types of their own;
 * the shapes below are what their sample() returns). Only this bench sees these declarations: in a user's project the
 * same specifiers name stillheap's drivers (typings/embedded-sensor.d.ts).
 */
interface ModdableSensorOptions {
  readonly sensor: Readonly<Record<string, unknown>>;
  readonly alert?: Readonly<Record<string, unknown>>;
  readonly onAlert?: () => void;
  readonly onError?: (message: string) => void;
}

declare module "embedded:sensor/Humidity-Temperature/SHT3x" {
  export default class SHT3x {
    constructor(options: ModdableSensorOptions);
    configure(options: Readonly<Record<string, unknown>>): void;
    sample(): { thermometer: { temperature?: number }; hygrometer: { humidity?: number } };
    close(): void;
  }
}

declare module "embedded:sensor/Temperature/TMP117" {
  export default class TMP117 {
    constructor(options: ModdableSensorOptions);
    configure(options: Readonly<Record<string, unknown>>): void;
    sample(): { temperature: number; alert: number };
    close(): void;
  }
}

declare module "embedded:sensor/Accelerometer/LIS3DH" {
  export default class LIS3DH {
    constructor(options: ModdableSensorOptions);
    configure(options: Readonly<Record<string, unknown>>): void;
    sample(): { x?: number; y?: number; z?: number };
    close(): void;
  }
}

declare module "embedded:sensor/Humidity-Temperature/AHT10" {
  export default class AHT10 {
    constructor(options: ModdableSensorOptions);
    configure(options: Readonly<Record<string, unknown>>): void;
    sample(): { thermometer: { temperature?: number }; hygrometer: { humidity?: number } };
    close(): void;
  }
}

declare module "embedded:sensor/Humidity-Temperature/SHTC3" {
  export default class SHTC3 {
    constructor(options: ModdableSensorOptions);
    configure(options: Readonly<Record<string, unknown>>): void;
    sample(): { thermometer: { temperature?: number }; hygrometer: { humidity?: number } };
    close(): void;
  }
}

declare module "embedded:sensor/Accelerometer-Gyroscope/MPU6050" {
  export default class MPU6050 {
    constructor(options: ModdableSensorOptions);
    configure(options: Readonly<Record<string, unknown>>): void;
    sample(): { accelerometer: { x?: number; y?: number; z?: number }; gyroscope: { x?: number; y?: number; z?: number } };
    close(): void;
  }
}

declare module "embedded:sensor/Temperature/TMP102" {
  export default class TMP102 {
    constructor(options: ModdableSensorOptions);
    configure(options: Readonly<Record<string, unknown>>): void;
    sample(): { temperature: number; alert: boolean };
    close(): void;
  }
}
