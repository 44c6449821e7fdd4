# Drawn by the replicate harness; run `gnuplot upstream-run.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Upstream pre-training on U (general English)"
set xlabel "upstream step"
set ylabel "validation loss (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'upstream-run.png'
plot 'upstream-run.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "U-val", \
     'upstream-run.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "F-val"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'upstream-run.svg'
plot 'upstream-run.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "U-val", \
     'upstream-run.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "F-val"
unset output
