export function installQuantization() {}
