// Three lines over the cluster chart: the rebalance target with its band,
// then the hosts above and below the band, named, most out of balance first.
import { Text } from 'ink';
import { memo } from 'react';
import type { FleetLoad, HostLoad } from '../../store/fleet-load.js';
import { useTheme } from '../context.js';
import type { TextStyle } from '../theme/theme.js';

const pct = (v: number): string => `${Math.round(v)}%`;

function names(list: readonly HostLoad[], style: TextStyle, label: string) {
  return (
    <>
      <Text {...style}>{label}</Text>
      {list.map((h) => (
        <Text key={h.id}>
          {' '}
          <Text {...style}>{h.id}</Text> {pct(h.load)}
        </Text>
      ))}
    </>
  );
}

/** backInBand: hosts the last rebalance found outside the band that are inside it now. */
export const LoadSummary = memo(function LoadSummary({ load, backInBand = [] }: { load: FleetLoad; backInBand?: readonly string[] }) {
  const theme = useTheme();
  if (load.target === null) {
    return (
      <>
        <Text {...theme.tokens.muted}> no host reporting load yet</Text>
        <Text> </Text>
        <Text> </Text>
      </>
    );
  }
  const low = Math.max(0, load.target - load.band);
  const high = Math.min(100, load.target + load.band);
  return (
    <>
      <Text wrap="truncate">
        {' target '}
        <Text {...theme.tokens.focus}>{pct(load.target)}</Text>
        <Text {...theme.tokens.muted}>{` ±${load.band} (${pct(low)}–${pct(high)}) · ${load.hosts.length} hosts`}</Text>
      </Text>
      <Text wrap="truncate">
        {backInBand.length > 0 ? <Text {...theme.tokens.ok}>{` ✓ back in band after rebalance: ${backInBand.join(' ')} ·`}</Text> : null}
        {load.overloaded.length > 0 ? names(load.overloaded, theme.tokens.warn, ' over') : <Text {...theme.tokens.ok}> none over</Text>}
      </Text>
      <Text wrap="truncate">{load.underloaded.length > 0 ? names(load.underloaded, theme.tokens.unknown, ' under') : <Text {...theme.tokens.ok}> none under</Text>}</Text>
    </>
  );
});
