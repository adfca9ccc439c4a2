import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import type { ReactNode } from 'react';

export const Root = styled.main`
  padding: ${(p) => p.theme.space.sm} ${(p) => p.theme.space.sm} ${(p) => p.theme.space.md};
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.default' })};
  background: ${(p) => getColor({ theme: p.theme, variable: 'background.default' })};
  font-family: ${(p) => p.theme.fonts.system};
  font-size: ${(p) => p.theme.fontSizes.md};
  line-height: ${(p) => p.theme.lineHeights.md};
  overflow-wrap: anywhere;
`;

const SectionBox = styled.section`
  margin-top: ${(p) => p.theme.space.md};
`;

export const SectionTitle = styled.h2`
  margin: 0 0 ${(p) => p.theme.space.xs};
  font-size: ${(p) => p.theme.fontSizes.sm};
  font-weight: ${(p) => p.theme.fontWeights.semibold};
  letter-spacing: 0.02em;
  text-transform: uppercase;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <SectionBox aria-labelledby={`baton-${id}`} data-section={id}>
      <SectionTitle id={`baton-${id}`}>{title}</SectionTitle>
      {children}
    </SectionBox>
  );
}

export const Muted = styled.span`
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
  font-size: ${(p) => p.theme.fontSizes.sm};
`;

export const Quote = styled.blockquote`
  margin: ${(p) => p.theme.space.xxs} 0 0;
  padding: ${(p) => p.theme.space.xxs} ${(p) => p.theme.space.xs};
  border-left: 3px solid ${(p) => getColor({ theme: p.theme, variable: 'border.emphasis' })};
  font-style: italic;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.default' })};
`;

export const PlainList = styled.ul`
  margin: 0;
  padding: 0;
  list-style: none;
  & > li + li {
    margin-top: ${(p) => p.theme.space.xs};
  }
`;

export const Row = styled.div`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: ${(p) => p.theme.space.xs};
`;

export const VisuallyHidden = styled.span`
  position: absolute !important;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
`;

export const DefList = styled.dl`
  display: grid;
  grid-template-columns: max-content 1fr;
  gap: ${(p) => p.theme.space.xxs} ${(p) => p.theme.space.sm};
  margin: 0;
  dt {
    color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
  }
  dd {
    margin: 0;
    min-width: 0;
  }
`;
